// Velocity (R-ANOMALY): how fast calls are made, per extension, per tenant and per destination prefix, over a
// minute and an hour. A hijacked phone dials far faster than a person.
import { z } from 'zod';
import { defineRule, type Raised } from '../engine/rule.js';
import { KeyedSums } from '../engine/windows.js';
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

function keys(
  a: CallAttempt,
  o: Options,
): Array<{ kind: 'extension' | 'tenant' | 'prefix'; key: string; label: string }> {
  const out: Array<{ kind: 'extension' | 'tenant' | 'prefix'; key: string; label: string }> = [
    { kind: 'tenant', key: 't', label: 'the tenant' },
  ];
  if (a.callerExtension !== undefined)
    out.push({ kind: 'extension', key: `x:${a.callerExtension}`, label: `extension ${a.callerExtension}` });
  const e = a.destination.e164;
  if (e && o.prefix.classes.includes(a.destination.cls)) {
    const p = e.slice(0, 1 + o.prefix.digits);
    out.push({ kind: 'prefix', key: `p:${p}`, label: `prefix ${p}` });
  }
  return out;
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
    for (const k of keys(attempt, ctx.options)) {
      const limits = ctx.options[k.kind];
      for (const [span, sums, limit] of [
        ['minute', ctx.state.minute, limits.perMinute],
        ['hour', ctx.state.hour, limits.perHour],
      ] as const) {
        if (limit === null) continue;
        const n = sums.sum(k.key, attempt.time);
        if (n + 1 > limit) {
          out.push({
            signal: SIGNALS[k.kind],
            message: `${k.label} started ${n} calls in the last ${span}; at most ${limit}`,
            evidence: { [k.kind]: k.label, calls: n, limit, window: span },
          });
          break;
        }
      }
    }
    return out;
  },
  admit(call, ctx) {
    for (const k of keys(call.attempt, ctx.options)) {
      ctx.state.minute.add(k.key, call.attempt.time);
      ctx.state.hour.add(k.key, call.attempt.time);
    }
  },
  sweep(time, ctx) {
    ctx.state.minute.sweep(time);
    ctx.state.hour.sweep(time);
  },
});
