// Velocity (R-ANOMALY): how fast calls are made, per extension, per tenant and per destination prefix, over a
// minute and an hour. A hijacked phone dials far faster than a person.
import { z } from 'zod';
import { defineRule, type Raised } from '../engine/rule.js';
import { KeyNames, KeyedSums, extensionKeys } from '../engine/windows.js';
import { COSTLY_CLASSES, classOption, limitOption } from './options.js';
import type { CallAttempt } from '../engine/attempt.js';

const rates = (perMinute: number | null, perHour: number | null) =>
  z
    .strictObject({
      perMinute: limitOption(perMinute, 'Calls started in any 60 seconds'),
      perHour: limitOption(perHour, 'Calls started in any 60 minutes'),
    })
    .prefault({});

const options = z
  .strictObject({
    extension: rates(6, 60).describe('Per extension.'),
    tenant: rates(30, 400).describe('Per tenant.'),
    prefix: z
      .strictObject({
        digits: z.number().int().min(1).max(15).default(6).describe('Prefix length in E.164 digits (after `+`).'),
        perMinute: limitOption(null, 'Calls to one prefix in any 60 seconds'),
        perHour: limitOption(20, 'Calls to one prefix in any 60 minutes'),
        classes: z.array(classOption).default(COSTLY_CLASSES).describe('Classes whose prefixes are counted.'),
      })
      .prefault({})
      .describe('Per destination prefix.'),
  })
  .describe('Call rates.');

type Options = z.infer<typeof options>;

interface State {
  minute: KeyedSums;
  hour: KeyedSums;
}

type Kind = 'extension' | 'tenant' | 'prefix';

/** Prefix counter keys (`p:+882345`), built once each. */
const prefixKeys = new KeyNames('p:');

/** The prefix a call counts under, when its class is watched by prefix. */
function prefixOf(a: CallAttempt, o: Options): string | undefined {
  const e = a.destination.e164;
  return e && o.prefix.classes.includes(a.destination.cls) ? e.slice(0, 1 + o.prefix.digits) : undefined;
}

const SIGNALS = { extension: 'VEL_EXTENSION_RATE', tenant: 'VEL_TENANT_RATE', prefix: 'VEL_PREFIX_RATE' } as const;

export const velocityRule = defineRule<Options, State>({
  id: 'velocity',
  description: 'Refuses calls made faster than allowed per extension, tenant and destination prefix.',
  recommendation: 'R-ANOMALY',
  options,
  signals: {
    VEL_EXTENSION_RATE: { description: 'One extension dials too fast.', action: 'reject', severity: 'medium' },
    VEL_TENANT_RATE: { description: 'The tenant dials out too fast.', action: 'reject', severity: 'medium' },
    VEL_PREFIX_RATE: { description: 'Too many calls to one destination prefix.', action: 'reject', severity: 'high' },
  },
  state: () => ({ minute: new KeyedSums(60_000), hour: new KeyedSums(3_600_000) }),
  check(attempt, ctx) {
    const out: Raised[] = [];
    const o = ctx.options;
    const time = attempt.time;
    over(out, ctx.state, 'tenant', o.tenant, 't', time, 'the tenant');
    const ext = attempt.callerExtension;
    if (ext !== undefined)
      over(out, ctx.state, 'extension', o.extension, extensionKeys.of(ext), time, 'extension ', ext);
    const p = prefixOf(attempt, o);
    if (p !== undefined) over(out, ctx.state, 'prefix', o.prefix, prefixKeys.of(p), time, 'prefix ', p);
    return out;
  },
  admit(call, ctx) {
    const a = call.attempt;
    const s = ctx.state;
    s.minute.add('t', a.time);
    s.hour.add('t', a.time);
    if (a.callerExtension !== undefined) {
      const k = extensionKeys.of(a.callerExtension);
      s.minute.add(k, a.time);
      s.hour.add(k, a.time);
    }
    const p = prefixOf(a, ctx.options);
    if (p !== undefined) {
      const k = prefixKeys.of(p);
      s.minute.add(k, a.time);
      s.hour.add(k, a.time);
    }
  },
  sweep(time, ctx) {
    ctx.state.minute.sweep(time);
    ctx.state.hour.sweep(time);
  },
});

/** One scope's rates: the minute first, then the hour; one signal at most. The label is built only for a signal. */
function over(
  out: Raised[],
  state: State,
  kind: Kind,
  limits: { perMinute: number | null; perHour: number | null },
  key: string,
  time: number,
  label: string,
  part = '',
): void {
  for (let i = 0; i < 2; i++) {
    const limit = i === 0 ? limits.perMinute : limits.perHour;
    if (limit === null) continue;
    const n = (i === 0 ? state.minute : state.hour).sum(key, time);
    if (n + 1 > limit) {
      const span = i === 0 ? 'minute' : 'hour';
      const who = label + part;
      out.push({
        signal: SIGNALS[kind],
        message: `${who} started ${n} calls in the last ${span}; at most ${limit}`,
        evidence: { [kind]: who, calls: n, limit, window: span },
      });
      return;
    }
  }
}
