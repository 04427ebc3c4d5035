// Normalises what a PBX dialled to E.164 with the tenant's dial plan and classifies it: libphonenumber-js (full
// metadata) says what kind of number it is and where; the risk list says which ranges are satellite or high-risk
// whatever their kind. Emergency and service numbers come from the dial plan, before anything else.
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { DestinationClass } from './classes.js';
import { defaultDialPlan, type DialPlan, type dialPlanSchema } from './dial-plan.js';
import { RiskList, type RiskEntry } from './risk.js';
import { TurnoverMap } from '../collections/turnover-map.js';
import type { z } from 'zod';

/** A dialled number, normalised and classified. */
export interface Destination {
  /** What the PBX dialled (Request-URI user part, visual separators removed). */
  dialled: string;
  /** The E.164 form (`+33899123456`), when the number could be read as one. */
  e164?: string;
  cls: DestinationClass;
  /** ISO 3166 region of the number (`GB`); absent for international networks (+881, +882…) and unknown numbers. */
  country?: string;
  /** Country calling code without `+` (`44`, `882`). */
  countryCallingCode?: string;
  /** libphonenumber's type (`PREMIUM_RATE`, `MOBILE`…), when it knows one: evidence for a person. */
  numberType?: string;
  /** The risk-list entry that made the number satellite or high-risk. */
  risk?: RiskEntry;
}

/** Characters people and PBXs put inside numbers that carry no meaning. */
const SEPARATORS = /[\s\-.()/]/g;

/** How many classified numbers each tenant keeps: the same numbers are dialled again and again. */
const CACHE_SIZE = 4096;

export class Numbering {
  private readonly emergency: Set<string>;
  private readonly services: Set<string>;
  private readonly cache = new TurnoverMap<string, Destination>();

  constructor(
    readonly plan: DialPlan,
    private readonly risk: RiskList,
  ) {
    this.emergency = new Set(plan.emergency);
    this.services = new Set(plan.services ?? []);
  }

  /** Classifies a dialled string (a Request-URI user part, a CDR's `dst`). Never throws. */
  classify(dialledRaw: string): Destination {
    const hit = this.cache.get(dialledRaw);
    if (hit) return hit;
    const d = this.compute(dialledRaw);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(dialledRaw, d);
    return d;
  }

  private compute(dialledRaw: string): Destination {
    // A user part may carry parameters (`0612345678;phone-context=…`) or be percent-encoded (`%2B33…`).
    let dialled = dialledRaw.split(';')[0]!.replace(SEPARATORS, '');
    if (/%[0-9a-f]{2}/i.test(dialled)) {
      try {
        dialled = decodeURIComponent(dialled).replace(SEPARATORS, '');
      } catch {
        // left as received: it will be unknown
      }
    }
    if (!/^\+?\d+$/.test(dialled)) return { dialled, cls: 'unknown' };
    const short = this.shortNumber(dialled);
    if (short) return short;
    const plan = this.plan;
    // The outside-line digit is only taken off what is left a plausible number after it.
    let digits = dialled;
    if (plan.outsideLine && digits.startsWith(plan.outsideLine)) {
      const rest = digits.slice(plan.outsideLine.length);
      const afterOutside = this.shortNumber(rest, dialled);
      if (afterOutside) return afterOutside;
      if (rest.length > 3) digits = rest;
    }
    const read = this.toE164(digits);
    if (read === undefined) return { dialled, cls: 'unknown' };
    return this.classifyE164(dialled, read.e164, read.parsed);
  }

  /** Emergency and service numbers, as dialled or after the outside-line digit. */
  private shortNumber(digits: string, dialled = digits): Destination | undefined {
    if (this.emergency.has(digits)) return { dialled, cls: 'emergency' };
    if (this.services.has(digits)) return { dialled, cls: 'national', country: this.plan.country };
    return undefined;
  }

  /**
   * `+` form of a number written internationally (+, the international prefix) or nationally, with the parse of a
   * national number (so it is not parsed twice); undefined if neither.
   */
  private toE164(digits: string): { e164: string; parsed?: PhoneNumber } | undefined {
    const plan = this.plan;
    if (digits.startsWith('+')) return digits.length > 4 ? { e164: digits } : undefined;
    if (digits.startsWith(plan.internationalPrefix) && digits.length > plan.internationalPrefix.length + 3) {
      return { e164: `+${digits.slice(plan.internationalPrefix.length)}` };
    }
    // National form: libphonenumber knows the country's trunk prefix and lengths.
    const p = parsePhoneNumberFromString(digits, plan.country as CountryCode);
    if (!p || digits.length < 4) return undefined;
    // A number without the trunk prefix in a country that has one is only national if it is valid that way.
    if (plan.nationalPrefix && !digits.startsWith(plan.nationalPrefix) && !p.isValid()) return undefined;
    return { e164: p.number, parsed: p };
  }

  private classifyE164(dialled: string, e164: string, parsed?: PhoneNumber): Destination {
    const p: PhoneNumber | undefined = parsed ?? parsePhoneNumberFromString(e164);
    const d: Destination = { dialled, e164, cls: 'unknown' };
    if (p) {
      d.e164 = p.number;
      d.countryCallingCode = p.countryCallingCode;
      if (p.country) d.country = p.country;
      const valid = p.isValid();
      const type = valid ? p.getType() : undefined;
      if (type) d.numberType = type;
      d.cls = classOf(type, valid, p.country === this.plan.country);
    }
    const risk = this.risk.match(d.e164!);
    if (risk) {
      d.risk = risk;
      d.cls = risk.cls;
    }
    return d;
  }
}

/**
 * The class of a number from its libphonenumber type and where it is. Premium and shared-cost numbers keep their
 * class abroad (they cost more, not less); free and ordinary numbers abroad are `international`. Personal numbers
 * (the UK's 070) are charged at premium rates and are a classic fraud target, so they count as premium.
 */
function classOf(type: string | undefined, valid: boolean, home: boolean): DestinationClass {
  switch (type) {
    case 'PREMIUM_RATE':
    case 'PERSONAL_NUMBER':
      return 'premium';
    case 'SHARED_COST':
      return 'shared-cost';
    case 'TOLL_FREE':
      return home ? 'tollfree' : 'international';
    case 'MOBILE':
      return home ? 'mobile' : 'international';
  }
  if (home) return valid ? 'national' : 'unknown';
  // A number abroad that libphonenumber does not know is still a call abroad: fraud ranges are often unlisted.
  return 'international';
}

/**
 * A tenant's numbering: its country's dial plan with the policy's overrides, and the shipped risk list with the
 * policy's edits. The engine decides with it; the CDR reader reads legs and the proxy spots emergency numbers with
 * the same, so the three read a number alike.
 */
export function tenantNumbering(t: {
  country: string;
  dialPlan?: z.infer<typeof dialPlanSchema> | undefined;
  risk?: Parameters<RiskList['withEdits']>[0] | undefined;
}): Numbering {
  const plan = { ...defaultDialPlan(t.country), ...(t.dialPlan ?? {}) };
  return new Numbering(plan, t.risk ? RiskList.shipped().withEdits(t.risk) : RiskList.shipped());
}
