// Business hours (R-OFF-HOURS): attacks come at night, at weekends and on public holidays, when nobody watches.
// This rule tells the rules after it that the tenant is closed, so they apply their stricter limits; its own
// signals are information for the call record.
import { z } from 'zod';
import Holidays from 'date-holidays';
import { defineRule } from '../engine/rule.js';
import { parseClock, type LocalTime } from '../engine/local-time.js';

const span = z
  .string()
  .refine((s) => parseSpan(s) !== undefined, { message: 'is not a time span (08:00-12:30)' })
  .describe('A span of local time, `HH:MM-HH:MM` (the end is excluded; `24:00` is midnight at the end of the day).');

const day = (open: string[]) => z.array(span).default(open);

const options = z
  .strictObject({
    schedule: z
      .strictObject({
        mon: day(['08:00-19:00']),
        tue: day(['08:00-19:00']),
        wed: day(['08:00-19:00']),
        thu: day(['08:00-19:00']),
        fri: day(['08:00-19:00']),
        sat: day([]),
        sun: day([]),
      })
      .prefault({})
      .describe('Opening hours per weekday, in the tenant\u2019s time zone; an empty list: closed all day.'),
    publicHolidays: z
      .boolean()
      .default(true)
      .describe('Public holidays of the tenant\u2019s country count as closed days.'),
    region: z
      .string()
      .optional()
      .describe('A region for regional holidays (e.g. `BY` for Bavaria, `67` for Bas-Rhin/Alsace).'),
    closures: z
      .array(
        z.strictObject({
          from: z.iso.date().describe('First closed day, YYYY-MM-DD.'),
          to: z.iso.date().optional().describe('Last closed day (default: `from`).'),
          label: z.string().default('closure').describe('Shown in the evidence.'),
        }),
      )
      .default([])
      .describe('Company closures (summer break, inventory).'),
  })
  .describe('Business hours.');

type Options = z.infer<typeof options>;

export function parseSpan(s: string): [number, number] | undefined {
  const m = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const from = parseClock(m[1]!);
  const to = parseClock(m[2]!);
  if (from === undefined || to === undefined || to <= from) return undefined;
  return [from, to];
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

interface State {
  /** Public holidays by year: date → name. */
  holidays: Map<number, Map<string, string>>;
  calendar?: Holidays;
}

export type Closed = { signal: 'TIME_OUTSIDE_HOURS' | 'TIME_HOLIDAY' | 'TIME_CLOSURE'; because: string };

/** Why the tenant is closed at `local`, or undefined when it is open. */
export function closedAt(local: LocalTime, options: Options, state: State, country: string): Closed | undefined {
  for (const c of options.closures) {
    if (local.date >= c.from && local.date <= (c.to ?? c.from))
      return { signal: 'TIME_CLOSURE', because: `closure: ${c.label}` };
  }
  if (options.publicHolidays) {
    const name = holidaysOf(local.year, state, country, options.region).get(local.date);
    if (name !== undefined) return { signal: 'TIME_HOLIDAY', because: `public holiday: ${name}` };
  }
  const spans = options.schedule[DAYS[local.weekday - 1]!];
  for (const [from, to] of spansOf(spans)) {
    if (local.minute >= from && local.minute < to) return undefined;
  }
  const hh = String(Math.floor(local.minute / 60)).padStart(2, '0');
  const mm = String(local.minute % 60).padStart(2, '0');
  return {
    signal: 'TIME_OUTSIDE_HOURS',
    because: `${DAY_NAMES[local.weekday - 1]} ${hh}:${mm}, ${spans.length ? `open ${spans.join(', ')}` : 'closed all day'}`,
  };
}

/** A day's spans in minutes, parsed once per policy (asked at every call). */
const parsedSpans = new WeakMap<readonly string[], Array<[number, number]>>();
function spansOf(spans: readonly string[]): Array<[number, number]> {
  let p = parsedSpans.get(spans);
  if (!p) parsedSpans.set(spans, (p = spans.map((s) => parseSpan(s)!)));
  return p;
}

function holidaysOf(year: number, state: State, country: string, region?: string): Map<string, string> {
  let m = state.holidays.get(year);
  if (!m) {
    m = new Map();
    state.calendar ??= region ? new Holidays(country, region) : new Holidays(country);
    const list = state.calendar.getHolidays(year) || [];
    for (const h of list) if (h.type === 'public') m.set(h.date.slice(0, 10), h.name);
    state.holidays.set(year, m);
  }
  return m;
}

export const businessHoursRule = defineRule<Options, State>({
  id: 'business-hours',
  description: 'Knows when the company is closed (schedule, public holidays, closures) so other rules get stricter.',
  recommendation: 'R-OFF-HOURS',
  options,
  signals: {
    TIME_OUTSIDE_HOURS: { description: 'Outside the weekly opening hours.', action: 'allow', severity: 'info' },
    TIME_HOLIDAY: { description: 'A public holiday of the tenant\u2019s country.', action: 'allow', severity: 'info' },
    TIME_CLOSURE: { description: 'A closure the company declared.', action: 'allow', severity: 'info' },
  },
  state: () => ({ holidays: new Map() }),
  check(attempt, ctx) {
    const closed = closedAt(attempt.local, ctx.options, ctx.state, ctx.tenant.country);
    if (!closed) return undefined;
    ctx.facts.offHours = true;
    ctx.facts.closedBecause = closed.because;
    return {
      signal: closed.signal,
      message: `closed now (${closed.because})`,
      evidence: { localDate: attempt.local.date, localMinute: attempt.local.minute, because: closed.because },
    };
  },
});
