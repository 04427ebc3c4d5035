// Concurrency (R-ANOMALY): a fraud pumps many calls at once; a small business rarely has more than a few outside
// calls at the same time, and almost never two international ones. Counts live outbound calls (set up or answered).
import { z } from 'zod';
import { defineRule, type Raised } from '../engine/rule.js';
import type { CallAttempt } from '../engine/attempt.js';
import { limitOption, shown } from './options.js';

const limits = (tenant: number | null, extension: number | null, international: number | null) =>
  z
    .strictObject({
      tenant: limitOption(tenant, 'Live outbound calls of the tenant at once'),
      extension: limitOption(extension, 'Live outbound calls of one extension at once'),
      classes: z
        .record(z.string(), z.number().int().min(0))
        .default(international === null ? {} : { international, satellite: 0, 'high-risk': 0 })
        .describe('Live outbound calls at once per destination class (`international: 2`).'),
    })
    .prefault({});

const options = z
  .strictObject({
    open: limits(10, 2, 2).describe('Limits during business hours.'),
    closed: limits(3, 1, 1).describe('Limits outside business hours.'),
  })
  .describe('Concurrency limits.');

type Options = z.infer<typeof options>;

export const concurrencyRule = defineRule<Options>({
  id: 'concurrency',
  description: 'Refuses a call beyond the number of live outbound calls allowed per tenant, extension and class.',
  recommendation: 'R-ANOMALY',
  options,
  signals: {
    CONC_TENANT_LIMIT: {
      description: 'Too many live outbound calls for the tenant.',
      action: 'reject',
      severity: 'medium',
    },
    CONC_EXTENSION_LIMIT: {
      description: 'Too many live outbound calls for one extension.',
      action: 'reject',
      severity: 'medium',
    },
    CONC_CLASS_LIMIT: {
      description: 'Too many live outbound calls to one destination class.',
      action: 'reject',
      severity: 'high',
    },
  },
  check(attempt: CallAttempt, ctx) {
    const l = ctx.facts.offHours ? ctx.options.closed : ctx.options.open;
    const cls = attempt.destination.cls;
    const tenant = ctx.tenant.liveCount();
    const extension =
      attempt.callerExtension !== undefined ? ctx.tenant.liveCount({ extension: attempt.callerExtension }) : 0;
    const sameClass = ctx.tenant.liveCount({ cls });
    const when = ctx.facts.offHours ? 'outside business hours' : 'during business hours';
    const out: Raised[] = [];
    const classLimit = l.classes[cls];
    if (classLimit !== undefined && sameClass + 1 > classLimit) {
      out.push({
        signal: 'CONC_CLASS_LIMIT',
        message: `${sameClass} ${cls} calls already live; at most ${classLimit} at once ${when} (to ${shown(attempt.destination)})`,
        evidence: { class: cls, live: sameClass, limit: classLimit },
      });
    }
    if (l.extension !== null && attempt.callerExtension !== undefined && extension + 1 > l.extension) {
      out.push({
        signal: 'CONC_EXTENSION_LIMIT',
        message: `extension ${attempt.callerExtension} already has ${extension} live calls; at most ${l.extension} ${when}`,
        evidence: { extension: attempt.callerExtension, live: extension, limit: l.extension },
      });
    }
    if (l.tenant !== null && tenant + 1 > l.tenant) {
      out.push({
        signal: 'CONC_TENANT_LIMIT',
        message: `${tenant} outbound calls already live; at most ${l.tenant} ${when}`,
        evidence: { live: tenant, limit: l.tenant },
      });
    }
    return out;
  },
});
