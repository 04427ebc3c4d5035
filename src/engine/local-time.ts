// Wall-clock time in a tenant's time zone, from an event time. Business hours, nights and weekends are local, and
// daylight-saving changes must fall where the law puts them, so the zone's offset comes from the platform's tz data.
// Offsets only change on a quarter hour, so one lookup per 15-minute slot is exact and keeps this off the hot path.

/** A moment as a person in the tenant's zone reads it. */
export interface LocalTime {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  year: number;
  /** 1 = Monday … 7 = Sunday (ISO 8601). */
  weekday: number;
  /** Minutes since local midnight, 0–1439. */
  minute: number;
  /** Offset from UTC in minutes (east positive). */
  offset: number;
}

const SLOT_MS = 15 * 60_000;
/** Minutes whose LocalTime is kept (a power of two): replay's starts, answers and ends fall within a few hours. */
const MINUTES_KEPT = 256;
/** Quarter hours whose offset is kept before the map (a power of two). */
const SLOTS_KEPT = 64;

export class LocalClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();
  private day = { number: NaN, date: '', year: 0, weekday: 0 };
  private readonly slotKeys = new Float64Array(SLOTS_KEPT).fill(NaN);
  private readonly slotOffsets = new Float64Array(SLOTS_KEPT);
  private readonly minutes = new Float64Array(MINUTES_KEPT).fill(NaN);
  private readonly locals: Array<LocalTime | undefined> = new Array<LocalTime | undefined>(MINUTES_KEPT);

  constructor(readonly timeZone: string) {
    // Throws a RangeError for an unknown zone: callers validate zones with isTimeZone first.
    this.format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The zone's offset from UTC at `time`, in minutes. */
  offsetAt(time: number): number {
    const slot = Math.floor(time / SLOT_MS);
    // Replay asks for the quarter hours of starts, answers and ends, a few hours apart: the recent ones are kept in
    // slots by their number, before the map.
    const k = slot & (SLOTS_KEPT - 1);
    if (this.slotKeys[k] === slot) return this.slotOffsets[k]!;
    let off = this.offsets.get(slot);
    if (off === undefined) {
      const at = slot * SLOT_MS;
      const p: Record<string, number> = {};
      for (const part of this.format.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
      off = Math.round((asUtc - at) / 60_000);
      if (this.offsets.size > 4096) this.offsets.clear();
      this.offsets.set(slot, off);
    }
    this.slotKeys[k] = slot;
    this.slotOffsets[k] = off;
    return off;
  }

  /**
   * The event time of a wall-clock time in the zone, given as if it were UTC (`Date.UTC(y, m - 1, d, h, mi)`). The
   * offset at that instant read as UTC is right except within hours of a change: it is looked up again from there.
   */
  eventTime(wallAsUtc: number): number {
    const first = wallAsUtc - this.offsetAt(wallAsUtc) * 60_000;
    return wallAsUtc - this.offsetAt(first) * 60_000;
  }

  /**
   * The local time of `time`. Offsets are whole minutes, so every instant of one UTC minute reads the same: the
   * LocalTime of recent minutes is kept (one slot per minute, by its number) and shared, never to be changed.
   */
  at(time: number): LocalTime {
    const minute = Math.floor(time / 60_000);
    const i = minute & (MINUTES_KEPT - 1);
    if (this.minutes[i] === minute) return this.locals[i]!;
    const local = this.compute(time);
    this.minutes[i] = minute;
    this.locals[i] = local;
    return local;
  }

  private compute(time: number): LocalTime {
    const offset = this.offsetAt(time);
    const wall = time + offset * 60_000;
    const dayNumber = Math.floor(wall / 86_400_000);
    // The date, year and weekday of the last local day read, kept: only the minute changes within it.
    if (dayNumber !== this.day.number) {
      const d = new Date(dayNumber * 86_400_000);
      const year = d.getUTCFullYear();
      const month = d.getUTCMonth() + 1;
      const day = d.getUTCDate();
      this.day = {
        number: dayNumber,
        date: `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`,
        year,
        weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
      };
    }
    const { date, year, weekday } = this.day;
    return { date, year, weekday, minute: Math.floor((wall - dayNumber * 86_400_000) / 60_000), offset };
  }
}

/** True when the platform knows the IANA zone name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** `YYYY-MM-DD` of the day after (or before, with -1) a local date. */
export function addDays(date: string, days: number): string {
  // Asked again and again for the same day (spend caps' night and weekend keys at every call): the last answer kept.
  if (date === lastAdd.date && days === lastAdd.days) return lastAdd.result;
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  const result = new Date(t).toISOString().slice(0, 10);
  lastAdd = { date, days, result };
  return result;
}
let lastAdd = { date: '', days: NaN, result: '' };

/** "08:30" → 510. Undefined when it is no time of day; "24:00" is the end of the day. */
export function parseClock(text: string): number | undefined {
  const m = /^([01]?\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : undefined;
}
