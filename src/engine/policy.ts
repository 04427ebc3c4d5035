// A tenant's policy: its country and dial plan, enforce or monitor, and each rule's options. Every field has a
// default, so a newcomer who gives only a country is protected: premium, high-risk and satellite refused,
// international refused outside business hours, concurrency, rates and spend capped for a small business.
import { z } from 'zod';
import Holidays from 'date-holidays';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { RULES } from '../rules/index.js';
import { dialPlanSchema } from '../numbering/index.js';
import { actionOption } from '../rules/options.js';
import { isTimeZone } from './local-time.js';

const SIGNAL_NAMES = new Set(RULES.flatMap((r) => Object.keys(r.signals)));

const rulesSchema = z
  .strictObject(
    Object.fromEntries(
      RULES.map((r) => [
        r.id,
        z
          .union([z.literal(false), r.options])
          .optional()
          .describe(`${r.description} (${r.recommendation}). \`false\` turns it off.`),
      ]),
    ),
  )
  .prefault({})
  .describe('Options per rule; a rule not listed runs with its defaults.');

export const tenantPolicySchema = z
  .strictObject({
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'is not an ISO 3166 country code (FR, BE, DE, GB, US…)')
      .refine((c) => isSupportedCountry(c as never), { message: 'is not a country with a known numbering plan' })
      .describe('Country the PBX dials from: its numbering plan, public holidays and what counts as abroad.'),
    timezone: z
      .string()
      .refine(isTimeZone, { message: 'is not an IANA time zone (Europe/Paris)' })
      .optional()
      .describe('Time zone of business hours, nights and weekends (default: the country\u2019s main zone).'),
    mode: z
      .enum(['enforce', 'monitor'])
      .default('enforce')
      .describe('`monitor` decides and alerts but refuses and cuts nothing (how a careful customer starts).'),
    failMode: z
      .enum(['open', 'closed'])
      .default('open')
      .describe('When the engine fails or is late: `open` lets calls through (alerting), `closed` refuses them.'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'is not a currency code (EUR)')
      .default('EUR')
      .describe('Currency of costs and spend caps.'),
    dialPlan: dialPlanSchema.optional().describe('Overrides of the country\u2019s default dial plan.'),
    tariffs: z
      .string()
      .optional()
      .describe(
        'CSV file of prices (prefix, per_minute, setup, currency), relative to the config file; default prices by class otherwise.',
      ),
    risk: z
      .strictObject({
        add: z
          .array(
            z.strictObject({
              prefix: z.string().regex(/^\+?\d{1,15}$/, 'is not an E.164 prefix'),
              label: z.string().optional(),
              cls: z.enum(['high-risk', 'satellite']).optional(),
            }),
          )
          .default([])
          .describe('Prefixes added to the shipped high-risk list.'),
        remove: z
          .array(z.string().regex(/^\+?\d{1,15}$/, 'is not an E.164 prefix'))
          .default([])
          .describe('Shipped prefixes to drop.'),
      })
      .optional()
      .describe('Edits of the shipped high-risk list.'),
    rules: rulesSchema,
    signals: z
      .record(z.string(), actionOption)
      .default({})
      .refine((m) => Object.keys(m).every((k) => SIGNAL_NAMES.has(k)), {
        message: `names an unknown signal (known: ${[...SIGNAL_NAMES].join(', ')})`,
      })
      .describe('Action per signal, over the rules\u2019 defaults (`DST_INTERNATIONAL: reject`).'),
  })
  .describe('The fraud policy.');

export type TenantPolicy = z.infer<typeof tenantPolicySchema>;

/** The default policy for a country. */
export function defaultPolicy(country: string): TenantPolicy {
  return tenantPolicySchema.parse({ country });
}

/** The country's main time zone, for a policy that names none. */
export function defaultTimeZone(country: string): string {
  try {
    const zones = new Holidays(country).getTimezones();
    if (zones && zones[0]) return zones[0];
  } catch {
    // fall through
  }
  return 'UTC';
}
