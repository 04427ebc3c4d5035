// Destination classes (R-DESTINATIONS): what each class of number may do, by day and by night, for the whole
// tenant and for groups of extensions ("each phone in the smallest context it needs"). Emergency numbers are
// outside this rule's reach: the engine never lets any rule refuse them.
import { z } from 'zod';
import { defineRule } from '../engine/rule.js';
import type { Action } from '../engine/actions.js';
import { RULED_CLASSES, type DestinationClass, type RuledClass } from '../numbering/index.js';
import { actionOption, extensionPattern, matchesExtension, shown } from './options.js';

const partialActions = z
  .partialRecord(z.enum(RULED_CLASSES), actionOption)
  .describe(
    'Action per destination class (national, mobile, tollfree, international, premium, shared-cost, satellite, high-risk, unknown).',
  );

const options = z
  .strictObject({
    open: z
      .strictObject({
        national: actionOption.default('allow'),
        mobile: actionOption.default('allow'),
        tollfree: actionOption.default('allow'),
        international: actionOption.default('allow'),
        premium: actionOption.default('reject'),
        'shared-cost': actionOption.default('allow'),
        satellite: actionOption.default('reject'),
        'high-risk': actionOption.default('reject'),
        unknown: actionOption.default('alert'),
      })
      .prefault({})
      .describe('Action per class during business hours.'),
    closed: partialActions
      .default({ international: 'reject' })
      .describe('Action per class outside business hours; a class not listed keeps its `open` action.'),
    groups: z
      .array(
        z.strictObject({
          name: z.string().min(1).describe('Shown in the evidence (`reception`, `sales`).'),
          extensions: z.array(extensionPattern).min(1).describe('Extensions in the group: `201`, `2*`, `200-299`.'),
          open: partialActions.default({}).describe('Overrides of the tenant\u2019s `open` actions.'),
          closed: partialActions.default({}).describe('Overrides of the tenant\u2019s `closed` actions.'),
        }),
      )
      .default([])
      .describe('Groups of extensions with their own rights; the first group an extension matches applies.'),
  })
  .describe('Destination classes.');

type Options = z.infer<typeof options>;

const SIGNAL: Record<RuledClass, string> = {
  national: 'DST_NATIONAL',
  mobile: 'DST_MOBILE',
  tollfree: 'DST_TOLLFREE',
  international: 'DST_INTERNATIONAL',
  premium: 'DST_PREMIUM_RATE',
  'shared-cost': 'DST_SHARED_COST',
  satellite: 'DST_SATELLITE',
  'high-risk': 'DST_HIGH_RISK',
  unknown: 'DST_UNKNOWN',
};

/** The action for a class, for an extension, open or closed: the most specific setting wins, night before day. */
export function classAction(
  o: Options,
  cls: RuledClass,
  extension: string | undefined,
  offHours: boolean,
): { action: Action; group?: string } {
  const group = o.groups.find((g) => g.extensions.some((p) => matchesExtension(p, extension)));
  const layers = offHours ? [group?.closed, o.closed, group?.open, o.open] : [group?.open, o.open];
  for (const l of layers) {
    const a = l?.[cls];
    if (a !== undefined) return group ? { action: a, group: group.name } : { action: a };
  }
  return { action: 'allow' };
}

export const destinationClassRule = defineRule<Options>({
  id: 'destination-class',
  description: 'Allows, alerts on or refuses each class of destination, by day and night, per group of extensions.',
  recommendation: 'R-DESTINATIONS',
  options,
  signals: {
    DST_NATIONAL: { description: 'A national fixed number.', action: 'allow', severity: 'info' },
    DST_MOBILE: { description: 'A national mobile number.', action: 'allow', severity: 'info' },
    DST_TOLLFREE: { description: 'A free number.', action: 'allow', severity: 'info' },
    DST_INTERNATIONAL: { description: 'A number abroad.', action: 'alert', severity: 'medium' },
    DST_PREMIUM_RATE: {
      description: 'A premium-rate number (the caller pays the callee).',
      action: 'reject',
      severity: 'high',
    },
    DST_SHARED_COST: { description: 'A shared-cost or special-rate number.', action: 'alert', severity: 'low' },
    DST_SATELLITE: {
      description: 'A satellite or international network number (+870, +881, +882, +883).',
      action: 'reject',
      severity: 'high',
    },
    DST_HIGH_RISK: { description: 'A range known for revenue-share fraud.', action: 'reject', severity: 'high' },
    DST_UNKNOWN: { description: 'A number that could not be recognised.', action: 'alert', severity: 'low' },
  },
  check(attempt, ctx) {
    const d = attempt.destination;
    if (d.cls === 'emergency' || ctx.facts.allowListed) return undefined;
    const cls = d.cls as RuledClass;
    const offHours = ctx.facts.offHours === true;
    const { action, group } = classAction(ctx.options, cls, attempt.callerExtension, offHours);
    if (action === 'allow') return undefined;
    const when = offHours ? `outside business hours (${ctx.facts.closedBecause ?? 'closed'})` : 'during business hours';
    const who = group ? ` for group ${group}` : '';
    return {
      signal: SIGNAL[cls],
      action,
      message: `${cls} destination ${shown(d)}${d.country ? ` (${d.country})` : ''}: ${action}${who} ${when}`,
      evidence: {
        number: shown(d),
        class: cls,
        country: d.country,
        risk: d.risk?.label,
        offHours,
        group,
        ...(d.numberType ? { numberType: d.numberType } : {}),
      },
    };
  },
});

export type { DestinationClass };
