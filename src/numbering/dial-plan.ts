// A tenant's dialling plan: how its PBX writes numbers (international and national prefixes, an outside-line digit)
// and which short numbers are emergency or service numbers there. Defaults per country; every field can be
// overridden in the policy.
import { z } from 'zod';
import { getCountryCallingCode, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

/** How a tenant's PBX dials. */
export interface DialPlan {
  /** ISO 3166 alpha-2 country the PBX dials from (`FR`). */
  country: string;
  /** Prefix for calls abroad: `00` in most of the world, `011` in North America. */
  internationalPrefix: string;
  /** Trunk prefix of national numbers written in national form: `0` (FR, DE, GB, BE), `1` (US), `` (ES, IT). */
  nationalPrefix: string;
  /** Digit(s) some PBXs need before an outside number (`0` in many French PBXs, `9` in the US); none by default. */
  outsideLine?: string;
  /** Short numbers that reach emergency services; never refused by any rule. */
  emergency: string[];
  /** Short service numbers classified `national` (not `unknown`): directory, operator services, voicemail. */
  services?: string[];
}

/** Emergency and urgent public-service numbers per country (national regulators' lists), plus 112 everywhere. */
const EMERGENCY: Record<string, string[]> = {
  FR: ['112', '15', '17', '18', '114', '115', '119', '191', '196', '197', '116000', '116117'],
  BE: ['112', '100', '101', '1722', '1733', '116000'],
  DE: ['112', '110', '116116', '116117'],
  AT: ['112', '122', '133', '144', '140', '141'],
  CH: ['112', '117', '118', '144', '143', '147', '1414', '1415'],
  LU: ['112', '113'],
  NL: ['112', '144'],
  GB: ['112', '999', '101', '111', '116123'],
  IE: ['112', '999'],
  ES: ['112', '091', '092', '061', '062', '080', '085', '016'],
  IT: ['112', '113', '115', '118', '1530', '1515', '114'],
  PT: ['112', '117'],
  US: ['911', '112', '988', '933'],
  CA: ['911', '112', '988'],
  MA: ['112', '15', '19', '177'],
  TN: ['190', '197', '198'],
};

const NANP = new Set(['US', 'CA']);
const NO_NATIONAL_PREFIX = new Set(['ES', 'IT', 'PT', 'DK', 'NO', 'GR', 'LU', 'MT', 'CY', 'IS', 'EE', 'LV', 'SG']);

/** The default dial plan of a country; throws for a country with no known numbering plan. */
export function defaultDialPlan(country: string): DialPlan {
  const cc = country.toUpperCase();
  if (!isSupportedCountry(cc as CountryCode))
    throw new Error(`${country} is not a country with a known numbering plan`);
  const nanp = getCountryCallingCode(cc as CountryCode) === '1';
  return {
    country: cc,
    internationalPrefix: nanp ? '011' : '00',
    nationalPrefix: nanp ? '1' : NO_NATIONAL_PREFIX.has(cc) ? '' : '0',
    emergency: (EMERGENCY[cc] ?? ['112', '911']).map((n) => n.replace(/\D/g, '')),
    services: [],
  };
}

export function isNanp(country: string): boolean {
  return NANP.has(country) || getCountryCallingCode(country as CountryCode) === '1';
}

const digits = z.string().regex(/^\d{1,6}$/, 'is not a short string of digits');

/** The dial plan as the configuration file overrides it (the country comes from the policy). */
export const dialPlanSchema = z
  .strictObject({
    internationalPrefix: digits.optional().describe('Prefix for calls abroad (`00`, `011`).'),
    nationalPrefix: z
      .string()
      .regex(/^\d{0,2}$/, 'is not a national prefix (0, 1 or empty)')
      .optional()
      .describe('Trunk prefix of national numbers (`0`, `1`, or empty).'),
    outsideLine: digits.optional().describe('Digit(s) the PBX puts before outside numbers (`0`, `9`).'),
    emergency: z
      .array(z.string().regex(/^\d{2,8}$/, 'is not a short number'))
      .optional()
      .describe('Emergency numbers (replaces the country\u2019s list; keep 112 and the local ones).'),
    services: z
      .array(z.string().regex(/^\d{2,8}$/, 'is not a short number'))
      .optional()
      .describe('Short service numbers classified `national` rather than `unknown`.'),
  })
  .describe('How the PBX dials: overrides of the country\u2019s defaults.');
