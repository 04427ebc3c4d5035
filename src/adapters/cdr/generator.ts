// Generated traffic for tests and the benchmark: a French office's weeks as its Asterisk writes them to Master.csv
// (18 columns, end order), with attack episodes planted in it and decoys that look odd but are normal. Each row's
// userfield says what it is (`normal`, `decoy:<name>`, `attack:<name>`), so a test can count what replay stopped.
// Seeded: the same options give the same file.
import Holidays from 'date-holidays';
import { LocalClock } from '../../engine/local-time.js';

/** One generated call, as the PBX would record it. */
export interface GeneratedCall {
  start: number;
  /** Seconds ringing before answer (or before giving up), and of talk (0: not answered). */
  ring: number;
  talk: number;
  src: string;
  dst: string;
  clid: string;
  dcontext: string;
  channel: string;
  dstchannel: string;
  lastapp: string;
  lastdata: string;
  uniqueid: string;
  /** `normal`, `decoy:<name>` or `attack:<name>`. */
  label: string;
}

export interface TrafficOptions {
  /** A Monday, `YYYY-MM-DD` (local). */
  from: string;
  weeks: number;
  /** Office phones 201… (default 8). */
  extensions?: number;
  seed?: number;
  /** Plant the attack episodes and decoys (default true). */
  episodes?: boolean;
  /** Calls per phone per working day, outbound (default 8; inbound about as many). */
  callsPerDay?: number;
  zone?: string;
  /** Country of the office's public holidays (default FR). */
  country?: string;
}

/** A seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NATIONAL = [
  '0142685300',
  '0145678912',
  '0156781234',
  '0472123456',
  '0240123456',
  '0389123456',
  '0556000005',
  '0320000004',
  '0491234567',
  '0561234567',
];
const MOBILE = ['0612345678', '0698765432', '0660000001', '0698000003', '0711223344', '0687654321'];
const TOLLFREE = ['0800123456', '0805123456'];
const ABROAD = ['00442079460018', '003225551234', '004930123456', '0034912345678', '0041223334455'];
const OUTSIDE_CALLERS = ['0145001122', '0612003344', '0472556677', '0687001122', '0442079460999', '0240998877'];

const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;

/** Local wall-clock text of an event time, as Asterisk writes it. */
export function localText(t: number, clock: LocalClock | undefined): string {
  const off = clock ? clock.offsetAt(t) : 0;
  return new Date(t + off * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Event time of a local wall-clock time (`2026-11-23 10:00`). */
export function localTime(text: string, clock: LocalClock): number {
  const asUtc = Date.parse(`${text.replace(' ', 'T')}${text.length === 16 ? ':00' : ''}Z`);
  return asUtc - clock.offsetAt(asUtc - clock.offsetAt(asUtc) * 60_000) * 60_000;
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** One Asterisk cdr-csv row (loguniqueid and loguserfield on: 18 columns), as cdr_csv.c writes it. */
export function asteriskRow(c: GeneratedCall, clock: LocalClock | undefined): string {
  const answered = c.talk > 0;
  const answer = c.start + c.ring * 1000;
  const end = answer + c.talk * 1000;
  return [
    q(''),
    q(c.src),
    q(c.dst),
    q(c.dcontext),
    q(c.clid),
    q(c.channel),
    q(c.dstchannel),
    q(c.lastapp),
    q(c.lastdata),
    q(localText(c.start, clock)),
    answered ? q(localText(answer, clock)) : '',
    q(localText(end, clock)),
    String(c.ring + c.talk),
    String(c.talk),
    q(answered ? 'ANSWERED' : 'NO ANSWER'),
    q('DOCUMENTATION'),
    q(c.uniqueid),
    q(c.label),
  ].join(',');
}

/** End time of a generated call (rows are written in this order). */
export const endOf = (c: GeneratedCall) => c.start + (c.ring + c.talk) * 1000;

let uid = 0;
function call(
  start: number,
  o: Omit<
    GeneratedCall,
    'start' | 'uniqueid' | 'clid' | 'channel' | 'dstchannel' | 'lastapp' | 'lastdata' | 'dcontext'
  > & {
    kind: 'out' | 'in' | 'internal' | 'hairpin' | 'disa';
    ext?: string;
  },
): GeneratedCall {
  const n = ++uid;
  const hex = (n & 0xffffffff).toString(16).padStart(8, '0');
  const base = {
    start,
    ring: o.ring,
    talk: o.talk,
    src: o.src,
    dst: o.dst,
    uniqueid: `${Math.floor(start / 1000)}.${n}`,
    label: o.label,
  };
  switch (o.kind) {
    case 'out':
      return {
        ...base,
        clid: `"Phone ${o.src}" <${o.src}>`,
        dcontext: 'from-internal',
        channel: `PJSIP/${o.src}-${hex}`,
        dstchannel: `PJSIP/trunk-${hex}`,
        lastapp: 'Dial',
        lastdata: `PJSIP/${o.dst}@trunk,60`,
      };
    case 'in':
      return {
        ...base,
        clid: `"" <${o.src}>`,
        dcontext: 'from-trunk',
        channel: `PJSIP/trunk-${hex}`,
        dstchannel: `PJSIP/${o.ext}-${hex}`,
        lastapp: 'Dial',
        lastdata: `PJSIP/${o.ext},30`,
      };
    case 'internal':
      return {
        ...base,
        clid: `"Phone ${o.src}" <${o.src}>`,
        dcontext: 'from-internal',
        channel: `PJSIP/${o.src}-${hex}`,
        dstchannel: `PJSIP/${o.dst}-${hex}`,
        lastapp: 'Dial',
        lastdata: `PJSIP/${o.dst},30`,
      };
    case 'hairpin':
      return {
        ...base,
        clid: `"" <${o.src}>`,
        dcontext: 'from-trunk',
        channel: `PJSIP/trunk-${hex}`,
        dstchannel: `PJSIP/trunk-${hex}`,
        lastapp: 'Dial',
        lastdata: `PJSIP/${o.dst}@trunk,60`,
      };
    case 'disa':
      return {
        ...base,
        clid: `"" <${o.src}>`,
        dcontext: 'disa',
        channel: `PJSIP/trunk-${hex}`,
        dstchannel: '',
        lastapp: 'DISA',
        lastdata: 'no-password,from-internal',
      };
  }
}

/** A working day's ordinary traffic of one phone (outbound, inbound, internal), from 08:30 to 18:30. */
function officeDay(
  day: string,
  ext: string,
  exts: string[],
  r: () => number,
  clock: LocalClock,
  perDay: number,
): GeneratedCall[] {
  const out: GeneratedCall[] = [];
  const open = localTime(`${day} 08:30`, clock);
  const span = 10 * 3_600_000;
  // One call after another, as a person makes them: a phone is on one call at a time.
  const n = Math.max(1, Math.round(perDay * (0.5 + r())));
  let at = open + Math.floor(r() * 3_600_000);
  for (let i = 0; i < n && at < open + span; i++) {
    const x = r();
    const dst =
      x < 0.5 ? pick(r, NATIONAL) : x < 0.8 ? pick(r, MOBILE) : x < 0.85 ? pick(r, TOLLFREE) : pick(r, ABROAD);
    const answered = r() > 0.15;
    const talk = answered ? Math.round(20 + r() * r() * 1200) : 0;
    const ring = 3 + Math.floor(r() * 20);
    out.push(call(at, { kind: 'out', src: ext, dst, ring, talk, label: 'normal' }));
    at += (ring + talk) * 1000 + Math.floor((span / n) * (0.3 + r()));
  }
  const inbound = Math.round(perDay * (0.5 + r()));
  for (let i = 0; i < inbound; i++) {
    const at = open + Math.floor(r() * span);
    const talk = r() > 0.2 ? Math.round(15 + r() * r() * 900) : 0;
    out.push(
      call(at, {
        kind: 'in',
        src: pick(r, OUTSIDE_CALLERS),
        dst: '0140506070',
        ext,
        ring: 2 + Math.floor(r() * 15),
        talk,
        label: 'normal',
      }),
    );
  }
  if (r() < 0.5) {
    const at = open + Math.floor(r() * span);
    const other = pick(r, exts.filter((e) => e !== ext).length ? exts.filter((e) => e !== ext) : exts);
    out.push(
      call(at, { kind: 'internal', src: ext, dst: other, ring: 3, talk: Math.round(10 + r() * 300), label: 'normal' }),
    );
  }
  return out;
}

/**
 * Attack episodes and decoys of one week (`monday`: its Monday). Week 0 is quiet: history first, as a real file has.
 * Attacks: premium and high-risk pumping on Saturday night from a hijacked phone, a trunk-to-trunk hairpin and a
 * DISA call on Sunday night, a range scan on a weekday night, a business-hours burst of long calls to a country
 * never called (the new-destination, concurrency and max-duration rules), and premium calls at noon.
 * Decoys: a 70-minute call to London in the afternoon, 112 at night, a late mobile call, inbound from abroad at
 * night, a customer called back four times in a few minutes, a toll-free number at night.
 */
function episodes(week: number, monday: string, r: () => number, clock: LocalClock): GeneratedCall[] {
  const out: GeneratedCall[] = [];
  const day = (offset: number, hm: string) => localTime(`${addDays(monday, offset)} ${hm}`, clock);
  if (week === 0) return out;
  // Decoys, every week.
  out.push(
    call(day(1, '14:10'), {
      kind: 'out',
      src: '203',
      dst: '00442079460018',
      ring: 6,
      talk: 70 * 60,
      label: 'decoy:long-london',
    }),
  );
  out.push(
    call(day(5, '23:15'), { kind: 'out', src: '204', dst: '112', ring: 1, talk: 240, label: 'decoy:emergency' }),
  );
  out.push(
    call(day(2, '20:40'), {
      kind: 'out',
      src: '202',
      dst: '0612345678',
      ring: 4,
      talk: 300,
      label: 'decoy:late-mobile',
    }),
  );
  out.push(
    call(day(3, '02:30'), {
      kind: 'in',
      src: '0014155550100',
      dst: '0140506070',
      ext: '201',
      ring: 8,
      talk: 600,
      label: 'decoy:inbound-abroad',
    }),
  );
  for (let i = 0; i < 4; i++)
    out.push(
      call(day(3, '10:00') + i * 90_000, {
        kind: 'out',
        src: '205',
        dst: '0472123456',
        ring: 20,
        talk: i === 3 ? 400 : 0,
        label: 'decoy:callback',
      }),
    );
  out.push(
    call(day(4, '21:05'), {
      kind: 'out',
      src: '206',
      dst: '0800123456',
      ring: 3,
      talk: 180,
      label: 'decoy:tollfree-night',
    }),
  );
  // Attacks, one kind per week in turn, so each is seen with history before it.
  const kind = week % 4;
  if (kind === 1) {
    // Saturday night: a hijacked phone pumps premium, high-risk and satellite numbers.
    const targets = ['0899123456', '00239990010', '+881612345678', '0899654321', '002399900150'];
    for (let i = 0; i < 30; i++)
      out.push(
        call(day(5, '01:00') + i * 6 * 60_000, {
          kind: 'out',
          src: '299',
          dst: targets[i % targets.length]!,
          ring: 2,
          talk: 3600 + Math.floor(r() * 3600),
          label: 'attack:weekend-premium',
        }),
      );
  } else if (kind === 2) {
    // Sunday night: outside callers bridged back out to the trunk, and DISA.
    for (let i = 0; i < 10; i++)
      out.push(
        call(day(6, '03:00') + i * 5 * 60_000, {
          kind: 'hairpin',
          src: '0033970001122',
          dst: `0025261${String(100000 + i)}`,
          ring: 2,
          talk: 1800,
          label: 'attack:hairpin',
        }),
      );
    // DISA: a caller who got in and left through the trunk (lastapp Dial, trunk on both sides), and one whose call
    // ended inside DISA (lastapp DISA: nothing dialled yet, an alert).
    for (let i = 0; i < 3; i++)
      out.push(
        call(day(6, '04:00') + i * 20 * 60_000, {
          kind: 'hairpin',
          src: '0033970001199',
          dst: `00881${String(612345670 + i)}`,
          ring: 1,
          talk: 1200,
          label: 'attack:disa',
        }),
      );
    out.push(
      call(day(6, '05:10'), {
        kind: 'disa',
        src: '0033970001199',
        dst: 's',
        ring: 1,
        talk: 40,
        label: 'attack:disa-probe',
      }),
    );
    // A weekday night range scan: short calls to numbers of one range.
    for (let i = 0; i < 20; i++)
      out.push(
        call(day(1, '02:00') + i * 20_000, {
          kind: 'out',
          src: '207',
          dst: `0044207946${String(1000 + i * 7)}`,
          ring: 5,
          talk: i % 4 === 0 ? 8 : 0,
          label: 'attack:range-scan',
        }),
      );
  } else if (kind === 3) {
    // Business hours: long calls to a country never called, 5 minutes apart, from one phone.
    for (let i = 0; i < 12; i++)
      out.push(
        call(day(2, '11:00') + i * 5 * 60_000, {
          kind: 'out',
          src: '203',
          dst: `0053${String(72000000 + i * 13)}`,
          ring: 3,
          talk: 2 * 3600 + Math.floor(r() * 1800),
          label: 'attack:daytime-irsf',
        }),
      );
  } else {
    // Noon premium calls from a compromised phone.
    for (let i = 0; i < 6; i++)
      out.push(
        call(day(3, '12:30') + i * 2 * 60_000, {
          kind: 'out',
          src: '208',
          dst: '0897123456',
          ring: 2,
          talk: 1200,
          label: 'attack:noon-premium',
        }),
      );
  }
  return out;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Every call of the weeks, in start order per day (calls of a day, then the next). */
export function* officeTraffic(o: TrafficOptions): Generator<GeneratedCall[]> {
  const r = rng(o.seed ?? 1);
  const clock = new LocalClock(o.zone ?? 'Europe/Paris');
  const exts = Array.from({ length: o.extensions ?? 8 }, (_, i) => String(201 + i));
  const perDay = o.callsPerDay ?? 8;
  // The office is closed on public holidays, as its people are.
  const holidays = new Holidays(o.country ?? 'FR');
  for (let w = 0; w < o.weeks; w++) {
    const monday = addDays(o.from, w * 7);
    const extra = o.episodes === false ? [] : episodes(w, monday, r, clock);
    for (let d = 0; d < 7; d++) {
      const day = addDays(monday, d);
      const calls: GeneratedCall[] = [];
      const holiday = (holidays.isHoliday(new Date(`${day}T12:00:00Z`)) || []).some((h) => h.type === 'public');
      if (d < 5 && !holiday) for (const ext of exts) calls.push(...officeDay(day, ext, exts, r, clock, perDay));
      const dayStart = localTime(`${day} 00:00`, clock);
      const dayEnd = dayStart + 86_400_000;
      calls.push(...extra.filter((c) => c.start >= dayStart && c.start < dayEnd));
      yield calls;
    }
  }
}

/** A whole Master.csv of the weeks, rows in end order as Asterisk writes them (for tests; small files). */
export function officeMasterCsv(o: TrafficOptions): string {
  const clock = new LocalClock(o.zone ?? 'Europe/Paris');
  const all: GeneratedCall[] = [];
  for (const day of officeTraffic(o)) all.push(...day);
  all.sort((a, b) => endOf(a) - endOf(b));
  return all.map((c) => asteriskRow(c, clock)).join('\n') + '\n';
}
