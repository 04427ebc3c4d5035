// Call-record times: Asterisk and FreeSWITCH write local wall-clock time ("%Y-%m-%d %T"; Asterisk GMT with
// usegmtime=yes), cdr_custom can write epochs (`start(int64)`), spreadsheets rewrite dates ("2020/2/10 22:41").
// A local time becomes an event time through the zone's offset at that moment (tz data, daylight saving included).
import { LocalClock } from '../../engine/local-time.js';

/** Reads the times of one file in one zone. */
export class TimeReader {
  private readonly clock: LocalClock | undefined;
  private lastText = '';
  private lastValue: number | null | undefined;

  /** `zone`: the IANA zone the PBX wrote local times in; `UTC` for GMT. */
  constructor(readonly zone: string) {
    this.clock = zone === 'UTC' || zone === 'GMT' || zone === 'Etc/UTC' ? undefined : new LocalClock(zone);
  }

  /**
   * Event time (ms) of a CDR time, or undefined when it is not one. Empty, `0` and Asterisk's unset date mean "no
   * time" and give null (an unanswered call's answer).
   */
  read(text: string): number | null | undefined {
    if (text === this.lastText) return this.lastValue;
    const v = this.parse(text);
    this.lastText = text;
    this.lastValue = v;
    return v;
  }

  private parse(text: string): number | null | undefined {
    const t = text.trim();
    if (t === '' || t === '0' || t === '0.0' || t.startsWith('0000-00-00') || t === '1970-01-01 00:00:00') return null;
    const c0 = t.charCodeAt(0);
    if (c0 < 48 || c0 > 57) return undefined;
    // "YYYY-MM-DD HH:MM:SS", the common case, read without a regex.
    if (
      t.length === 19 &&
      t.charCodeAt(4) === 45 &&
      t.charCodeAt(7) === 45 &&
      (t.charCodeAt(10) === 32 || t.charCodeAt(10) === 84) &&
      t.charCodeAt(13) === 58 &&
      t.charCodeAt(16) === 58
    ) {
      return this.local(
        +t.slice(0, 4),
        +t.slice(5, 7),
        +t.slice(8, 10),
        +t.slice(11, 13),
        +t.slice(14, 16),
        +t.slice(17, 19),
        0,
      );
    }
    let m =
      /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
        t,
      );
    if (m) {
      const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
      const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      if (m[8]) {
        const asUtc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
        if (!valid(y, mo, d, h, mi, s)) return undefined;
        if (m[8] === 'Z') return asUtc;
        const sign = m[8][0] === '-' ? -1 : 1;
        const digits = m[8].slice(1).replace(':', '');
        return asUtc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
      }
      return this.local(y, mo, d, h, mi, s, ms);
    }
    // Epochs: seconds (cdr_custom `start(int64)`, `start(double)`, FreeSWITCH `start_epoch`), ms or µs.
    m = /^(\d{9,16})(?:\.(\d+))?$/.exec(t);
    if (m) {
      const int = m[1]!;
      const n = Number(t);
      if (int.length <= 11) return Math.round(n * 1000);
      if (int.length <= 13) return Math.round(n);
      return Math.round(n / 1000);
    }
    return undefined;
  }

  private local(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined {
    if (!valid(y, mo, d, h, mi, s)) return undefined;
    const asUtc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    return this.clock ? this.clock.eventTime(asUtc) : asUtc;
  }
}

function valid(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return y >= 1990 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 24 && mi <= 59 && s <= 60;
}
