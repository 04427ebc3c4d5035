// What a rule is: an id, what it serves, the options it takes (validated, with the small-business defaults), the
// named signals it can raise with their default action, and hooks for the stages of a call. A rule reports what it
// saw; the tenant's policy decides what each signal means. Rules keep their own state (counters) per tenant.
import type { z } from 'zod';
import type { Action, Severity } from './actions.js';
import type { AttemptFacts, CallAttempt, LiveCall } from './attempt.js';
import type { LocalClock, LocalTime } from './local-time.js';
import type { Numbering, Tariffs } from '../numbering/index.js';
import type { TenantProfile } from './profile.js';

/** What rules read of a tenant's profile (the engine alone learns it). */
export type ProfileView = Pick<TenantProfile, 'scope' | 'norm' | 'talkQuantile' | 'localHour'>;

export type Stage = 'attempt' | 'tick';

export interface SignalDefinition {
  /** What the signal means, for the docs and the console. */
  description: string;
  /** The action it takes unless the rule's options or the tenant's `signals` map say otherwise. */
  action: Action;
  severity: Severity;
}

/** One thing a rule saw. */
export interface Raised {
  signal: string;
  message: string;
  evidence?: Record<string, unknown>;
  /** The action the rule's options give this occurrence (e.g. a class set to `reject` at night); else the default. */
  action?: Action;
  severity?: Severity;
  /** What a `quarantine` action locks: the calling extension (default when known) or the whole tenant. */
  scope?: 'extension' | 'tenant';
}

/** What the engine tells a rule about the tenant it runs for. */
export interface TenantView {
  readonly id: string;
  /** ISO 3166 country of the tenant's dial plan (holidays, what is abroad). */
  readonly country: string;
  readonly numbering: Numbering;
  readonly tariffs: Tariffs;
  /** Currency of the tenant's estimates (spend caps are in it). */
  readonly currency: string;
  readonly clock: LocalClock;
  /** Live calls of the tenant (set up or answered), outbound and inbound. */
  liveCalls(): Iterable<LiveCall>;
  /** Live outbound calls not cut, of the tenant, of one extension or to one class: kept counted, no walk. */
  liveCount(scope?: { extension?: string | undefined; cls?: string }): number;
  /** Estimated cost at `time` of the live outbound calls, of the tenant or of one extension. */
  liveSpend(time: number, extension?: string): number;
  /** How fast that spend grows: Σ per-minute prices of the answered live outbound calls (tenant or extension). */
  liveRate(extension?: string): number;
  /** Extensions with an answered live outbound call. */
  spendingExtensions(): Iterable<string>;
  /** What the tenant's and its extensions' outbound calls usually look like, learned from the calls let through. */
  readonly profile: ProfileView;
}

export interface RuleContext<O, S> {
  options: O;
  state: S;
  tenant: TenantView;
}

export interface AttemptContext<O, S> extends RuleContext<O, S> {
  /** Facts earlier rules learned about this attempt; a rule may add its own for the rules after it. */
  facts: AttemptFacts;
}

export interface TickContext<O, S> extends RuleContext<O, S> {
  time: number;
  local: LocalTime;
}

/** A signal on one live call, raised while it goes on. */
export interface LiveRaised {
  call: LiveCall;
  raised: Raised;
}

export interface RuleDefinition<O = unknown, S = unknown> {
  /** Stable id, used in the policy, the call log and the docs (`destination-class`). */
  id: string;
  description: string;
  /** The recommendation it serves (R-DESTINATIONS…). */
  recommendation: string;
  /** The call directions it looks at (default: outbound, the calls that cost money). */
  directions?: ReadonlyArray<'outbound' | 'inbound'>;
  /** Its options, every field with a default: parsing `{}` gives the default policy. */
  options: z.ZodType<O>;
  signals: Record<string, SignalDefinition>;
  /** Fresh state for one tenant. */
  state?(options: O): S;
  /** At setup: what this attempt looks like. Must not change state (the call may yet be refused). */
  check?(attempt: CallAttempt, ctx: AttemptContext<O, S>): Raised[] | Raised | undefined;
  /** The call was let through: count it. */
  admit?(call: LiveCall, ctx: RuleContext<O, S>): void;
  answer?(call: LiveCall, time: number, ctx: RuleContext<O, S>): void;
  /** Every tick: signals on live calls (a `cut` or `quarantine` action ends the call). */
  tick?(ctx: TickContext<O, S>): LiveRaised[];
  /**
   * The earliest event time at which `tick` could raise a signal if only time passed: the watch may skip the ticks
   * before it (replay does; a rule with `tick` and without this is watched every tick). Asked after a tick for every
   * call; after an answer with `answered`, for what that call alone brings forward (the engine keeps the earlier
   * figure). Setting up or ending a call may only make it later. Infinity: nothing to watch.
   */
  quietUntil?(ctx: TickContext<O, S>, answered?: LiveCall): number;
  /** The call ended (answered or not), at `time`. */
  end?(call: LiveCall, time: number, ctx: RuleContext<O, S>): void;
  /** Forgets what no longer matters at `time` (idle counters). */
  sweep?(time: number, ctx: RuleContext<O, S>): void;
}

/** Declares a rule with its option and state types checked. */
export function defineRule<O, S = undefined>(rule: RuleDefinition<O, S>): RuleDefinition<O, S> {
  return rule;
}

/** A rule of any option and state type, as the rule list holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = RuleDefinition<any, any>;
