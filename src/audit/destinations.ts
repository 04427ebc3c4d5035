// Dialled numbers the audit tries in a dialplan to see where they lead (international, premium and satellite numbers
// written the ways people dial them: 00, 011, +, with an outside-line 9), and the rough class of a dialled string.
// This is not the numbering plan of the engine: the audit only needs to say "this dialplan lets a caller reach an
// international or premium number", whatever the country of the PBX.

export type ProbeClass = 'international' | 'premium' | 'satellite';

export interface Probe {
  number: string;
  cls: ProbeClass;
  /** How the number is written, for messages. */
  label: string;
}

/** Numbers tried in every context: the same destinations written with the usual prefixes. */
export const PROBES: readonly Probe[] = Object.freeze([
  { number: '00442079460000', cls: 'international', label: 'London with the 00 prefix' },
  { number: '011442079460000', cls: 'international', label: 'London with the North American 011 prefix' },
  { number: '+442079460000', cls: 'international', label: 'London in + form' },
  { number: '900442079460000', cls: 'international', label: 'London behind an outside-line 9 and 00' },
  { number: '9011442079460000', cls: 'international', label: 'London behind an outside-line 9 and 011' },
  { number: '002399912345', cls: 'international', label: 'São Tomé (a high-fraud destination) with 00' },
  { number: '0112399912345', cls: 'international', label: 'São Tomé (a high-fraud destination) with 011' },
  { number: '19005550123', cls: 'premium', label: 'a North American 1-900 number' },
  { number: '919005550123', cls: 'premium', label: 'a 1-900 number behind an outside-line 9' },
  { number: '09011234567', cls: 'premium', label: 'a UK 09 premium number' },
  { number: '0899123456', cls: 'premium', label: 'a French 0899 premium number' },
  { number: '0900123456', cls: 'premium', label: 'a 0900 premium number (DE, NL, CH…)' },
  { number: '00881612345678', cls: 'satellite', label: 'an Iridium satellite phone with 00' },
  { number: '011881612345678', cls: 'satellite', label: 'an Iridium satellite phone with 011' },
  { number: '+870773112345', cls: 'satellite', label: 'an Inmarsat satellite phone in + form' },
]);

export type DialledClass = ProbeClass | 'other';

/** The rough class of a dialled string, trying it with and without a leading outside-line 9 or 0. */
export function classifyDialled(number: string): DialledClass {
  const digits = number.replace(/[^0-9+]/g, '');
  const forms = [digits];
  if (/^[90]/.test(digits)) forms.push(digits.slice(1));
  let best: DialledClass = 'other';
  const order: DialledClass[] = ['other', 'international', 'premium', 'satellite'];
  for (const d of forms) {
    let c: DialledClass = 'other';
    const intl = /^(?:\+|00|011)(\d+)$/.exec(d);
    if (intl) c = /^(?:881|870|882)/.test(intl[1]!) ? 'satellite' : 'international';
    else if (/^(?:1?900|1?976)\d{4,}$/.test(d) || /^(?:090|091|098|0899|0897|0900|0190)\d+$/.test(d)) c = 'premium';
    if (order.indexOf(c) > order.indexOf(best)) best = c;
  }
  return best;
}

/** International dialling patterns of a dialplan (`_00X.`, `_011X.`, `_+X.`, `_9011.`, …) by their fixed prefix. */
export function patternClass(pattern: string): DialledClass {
  if (!pattern.startsWith('_')) return classifyDialled(pattern);
  const prefix = /^_([0-9+*#]*)/.exec(pattern)?.[1] ?? '';
  const p = prefix.replace(/^9(?=0|\+)/, '');
  if (/^(?:\+|00|011)(?:881|870|882)/.test(p)) return 'satellite';
  if (/^(?:\+|00|011)/.test(p) || /^\[\+\]/.test(pattern.slice(1))) return 'international';
  if (/^(?:1?900|1?976|090|091|098|0899|0897|0900)/.test(p)) return 'premium';
  return 'other';
}
