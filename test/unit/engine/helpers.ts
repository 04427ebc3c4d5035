// Builds engines and attempts for rule and engine tests: one tenant `acme` in France (Europe/Paris) unless told
// otherwise, fixed event times, and a rule filter so a test can enable exactly the rule it tests.
import type { AttemptInput } from '../../../src/adapters/decider.js';
import { Engine, RULES, tenantPolicySchema, type Decision } from '../../../src/engine/index.js';
import { LocalClock } from '../../../src/engine/local-time.js';

/** Event time of a wall-clock time in a zone: `local('2026-11-23 10:00')` is 09:00 UTC. */
export function local(text: string, zone = 'Europe/Paris'): number {
  const clock = new LocalClock(zone);
  const asUtc = Date.parse(`${text.replace(' ', 'T')}:00Z`);
  let t = asUtc - clock.offsetAt(asUtc) * 60_000;
  t = asUtc - clock.offsetAt(t) * 60_000;
  return t;
}

/** A Monday in business hours, and a Saturday night, in Paris. */
export const MONDAY_10 = local('2026-11-23 10:00');
export const SATURDAY_23 = local('2026-11-28 23:00');

/** A policy with only the named rules on (each with the given options, or its defaults). */
export function only(rules: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const all = Object.fromEntries(RULES.map((r) => [r.id, r.id in rules ? rules[r.id] : false]));
  return { country: 'FR', ...extra, rules: all };
}

export function engineWith(policy: Record<string, unknown>, tenantId = 'acme'): Engine {
  return new Engine([{ id: tenantId, policy: tenantPolicySchema.parse(policy) }]);
}

let seq = 0;

export function attempt(over: Partial<AttemptInput> = {}): AttemptInput {
  return {
    id: `call-${++seq}`,
    tenantId: 'acme',
    direction: 'outbound',
    time: MONDAY_10,
    caller: '201',
    callerExtension: '201',
    called: '0142685300',
    ...over,
  };
}

/** Decides an attempt and returns the decision with its id. */
export function dial(engine: Engine, over: Partial<AttemptInput> = {}): Decision & { id: string } {
  const a = attempt(over);
  return { ...engine.decide(a), id: a.id };
}

export const signalsOf = (d: Decision) => d.signals.map((s) => s.signal);
