// Replay over the stored call log: "what would this policy have done last week?". The tenant's stored calls of the
// range go, in start order with their own times and durations, through a fresh engine with the policy given and
// another with the current one, as `tollguard replay` runs a CDR file (the same ReplayRun): the console says "this
// policy would have refused N calls, the current one M" before a policy is applied. Nothing is changed or stored.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiError, route, type RouteTable } from '../route.js';
import type { Store } from '../../store/ports.js';
import type { Logger } from '../../log/logger.js';
import { tenantPolicySchema, type TenantPolicy, type TenantSetup } from '../../engine/index.js';
import { replayCallLog, type CallOutcome, type ReplayReport } from '../../adapters/cdr/index.js';
import { decisiveSignal } from '../../adapters/decider.js';

/** Stored records replayed at most in one request. */
export const MAX_REPLAY_RECORDS = 200_000;
/** The longest range one request may ask for. */
export const MAX_REPLAY_RANGE_MS = 366 * 86_400_000;
/** The default range: the last seven days. */
export const DEFAULT_REPLAY_RANGE_MS = 7 * 86_400_000;
/** Example calls listed per policy. */
const EXAMPLES = 10;

export interface ReplayRouteContext {
  store: Store;
  logger: Logger;
  /** A tenant's current policy (absent when no engine runs). */
  policies?: { get(tenantId: string): TenantPolicy | undefined };
  /** A tenant's current policy with the files it names read (its tariffs); preferred over `policies`. */
  tenantSetup?: (tenantId: string) => TenantSetup | undefined;
}

const time = z
  .union([z.number().int().min(0), z.iso.datetime({ offset: true })])
  .describe('ms since the epoch, or ISO 8601 with its offset');
const replayBody = z
  .strictObject({
    policy: z
      .unknown()
      .optional()
      .describe('the policy to try (as PUT /api/tenants/:id/policy takes); default the current one'),
    from: time.optional().describe('start of the range (default: `to` minus 7 days)'),
    to: time.optional().describe('end of the range, excluded (default: now)'),
  })
  .prefault({});

type Outcome = 'refused' | 'cut' | 'alerted' | 'allowed';

function outcomeOf(o: CallOutcome): Outcome {
  return o.refused ? 'refused' : o.cutAt !== undefined ? 'cut' : o.action === 'alert' ? 'alerted' : 'allowed';
}

interface Example {
  id: string;
  start: string;
  leg: string;
  caller: string;
  called: string;
  destination?: CallOutcome['destination'];
  outcome: Outcome;
  action: string;
  rule?: string;
  signal?: string;
  message?: string;
  /** What the current policy did with this call, when this is the policy tried and it did otherwise. */
  current?: Outcome;
}

function exampleOf(o: CallOutcome): Example {
  const d = decisiveSignal(o);
  return {
    id: o.id,
    start: new Date(o.start).toISOString(),
    leg: o.leg,
    caller: o.caller,
    called: o.called,
    ...(o.destination ? { destination: o.destination } : {}),
    outcome: outcomeOf(o),
    action: o.action,
    ...(d ? { rule: d.rule, signal: d.signal, message: d.message } : {}),
  };
}

/** Examples of one run: the calls it did something to, those that changed (against the current policy) first. */
class ExamplePicker {
  readonly changed: Example[] = [];
  readonly others: Example[] = [];
  changedCount = 0;

  offer(o: CallOutcome, current?: Outcome): void {
    const mine = outcomeOf(o);
    if (current !== undefined && current !== mine) {
      this.changedCount++;
      if (this.changed.length < EXAMPLES) this.changed.push({ ...exampleOf(o), current });
      return;
    }
    if (mine !== 'allowed' && this.others.length < EXAMPLES) this.others.push(exampleOf(o));
  }

  list(): Example[] {
    return [...this.changed, ...this.others].slice(0, EXAMPLES);
  }
}

function figures(r: ReplayReport, examples: Example[]) {
  const byRule: Record<string, number> = {};
  for (const t of r.byRule) {
    const n = t.refused + t.cut + t.alerts;
    if (n > 0) byRule[t.rule] = (byRule[t.rule] ?? 0) + n;
  }
  return {
    mode: r.mode,
    calls: r.calls,
    refused: r.refused,
    cut: r.cut,
    alerted: r.alerts,
    minutesSaved: r.minutesSaved,
    costSaved: r.costSaved,
    currency: r.currency,
    /** Calls refused, cut or alerted, by the rule that decided. */
    byRule,
    /** The same by rule and signal, with minutes and cost saved. */
    bySignal: r.byRule,
    incidents: r.incidents,
    examples,
  };
}

export function registerReplayRoutes(app: FastifyInstance, table: RouteTable, ctx: ReplayRouteContext): void {
  let running = false;

  route(app, table, {
    method: 'POST',
    url: '/api/tenants/:id/replay',
    tag: 'policy',
    summary:
      'What a policy would have done over the stored calls of a range (default the last 7 days), and what the ' +
      `current one did: refused, cut, alerted, by rule, examples (at most ${MAX_REPLAY_RECORDS} calls)`,
    access: 'write',
    params: z.strictObject({ id: z.string().min(1) }),
    body: replayBody,
    handler: async ({ params, body, principal }, reply) => {
      if (!principal!.sees(params.id)) return apiError(reply, 404, 'TG_ERR_NOT_FOUND', `no tenant ${params.id}`);
      const known = ctx.policies?.get(params.id);
      let current: TenantSetup | undefined;
      try {
        current = ctx.tenantSetup?.(params.id) ?? (known ? { id: params.id, policy: known } : undefined);
      } catch (err) {
        // The tenant's tariffs file cannot be read now: no replay could price its calls as the firewall does.
        return apiError(reply, 500, 'TG_ERR_CONFIG_READ', (err as Error).message);
      }
      if (!current) {
        return apiError(reply, 404, 'TG_ERR_NOT_FOUND', `no current policy for tenant ${params.id} (no engine runs)`);
      }
      const at = (t: number | string | undefined) => (typeof t === 'string' ? Date.parse(t) : t);
      const to = at(body.to) ?? Date.now();
      const from = at(body.from) ?? to - DEFAULT_REPLAY_RANGE_MS;
      if (!(from < to) || to - from > MAX_REPLAY_RANGE_MS) {
        return apiError(reply, 400, 'TG_ERR_USAGE', 'give from before to, at most 366 days apart', {
          issues: [{ path: 'body.from', message: 'must be before to, at most 366 days earlier' }],
        });
      }
      let tried: TenantSetup | undefined;
      if (body.policy !== undefined) {
        const parsed = tenantPolicySchema.safeParse(body.policy);
        if (!parsed.success) {
          return apiError(reply, 400, 'TG_ERR_CONFIG_INVALID', 'the policy is invalid; nothing was replayed', {
            issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
          });
        }
        const policy = parsed.data;
        if (policy.tariffs !== undefined && policy.tariffs !== current.policy.tariffs) {
          return apiError(reply, 400, 'TG_ERR_CONFIG_INVALID', 'a replay prices calls with the tenant’s own tariffs', {
            issues: [{ path: 'tariffs', message: `leave it as it is (${current.policy.tariffs ?? 'none'})` }],
          });
        }
        tried = {
          id: params.id,
          policy,
          ...(policy.tariffs !== undefined && current.tariffs ? { tariffs: current.tariffs } : {}),
        };
      }
      if (running) {
        return reply
          .header('retry-after', '30')
          .code(429)
          .send({ code: 'TG_ERR_BUSY', message: 'a replay is running; try again when it ends' });
      }
      running = true;
      try {
        const began = Date.now();
        const currentPicker = new ExamplePicker();
        const triedPicker = new ExamplePicker();
        // Each call's outcome under the current policy, until the tried policy's comes (or the reverse): the two runs
        // end a call at different times when one cuts it. Bounded by the calls up at once.
        const pending = new Map<string, { current?: CallOutcome; tried?: CallOutcome }>();
        const meet = (o: CallOutcome, side: 'current' | 'tried') => {
          const p = pending.get(o.id) ?? {};
          p[side] = o;
          if (!p.current || !p.tried) {
            pending.set(o.id, p);
            return;
          }
          pending.delete(o.id);
          currentPicker.offer(p.current);
          triedPicker.offer(p.tried, outcomeOf(p.current));
        };
        const runs: Parameters<typeof replayCallLog>[0]['runs'] = tried
          ? [
              { setups: [tried], onCall: (o) => meet(o, 'tried') },
              { setups: [current], onCall: (o) => meet(o, 'current') },
            ]
          : [{ setups: [current], onCall: (o) => currentPicker.offer(o) }];
        const r = await replayCallLog({
          calls: ctx.store.calls,
          range: { tenantId: params.id, from, to, max: MAX_REPLAY_RECORDS },
          runs,
          pause: () => new Promise((resolve) => setImmediate(resolve)),
        });
        const currentFigures = figures(r.reports[tried ? 1 : 0]!, currentPicker.list());
        const triedFigures = tried ? figures(r.reports[0]!, triedPicker.list()) : currentFigures;
        ctx.logger.info(
          {
            tenant: params.id,
            by: principal!.username,
            records: r.state.records,
            more: r.state.more,
            ms: Date.now() - began,
          },
          'replay of the stored call log',
        );
        return {
          tenant: params.id,
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          records: r.state.records,
          limit: MAX_REPLAY_RECORDS,
          more: r.state.more,
          ...(r.state.more
            ? {
                note:
                  `the range holds more than ${MAX_REPLAY_RECORDS} calls: the first ${MAX_REPLAY_RECORDS} were ` +
                  `replayed, those that started up to ${r.reports[0]!.to ?? new Date(from).toISOString()}`,
              }
            : {}),
          policyGiven: tried !== undefined,
          ...triedFigures,
          changed: tried ? triedPicker.changedCount : 0,
          current: currentFigures,
        };
      } finally {
        running = false;
      }
    },
  });
}
