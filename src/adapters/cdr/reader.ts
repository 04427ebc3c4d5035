// The importers: a stream of CDR lines in, checked CdrRecords out, bad rows reported with their line and why.
// Asterisk cdr-csv (Master.csv) is read by position with its optional columns recognised per row; FreeSWITCH
// cdr_csv, Asterisk cdr_custom and any CSV through a ColumnMapping. One pass, one line at a time: flat memory.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { readLines, splitFields } from './lines.js';
import { shippedMapping, type ColumnMapping } from './mappings.js';
import type { BadRow, CdrField, CdrRecord, RawCdr } from './record.js';
import { TimeReader } from './time.js';

export const CDR_FORMATS = ['asterisk-csv', 'freeswitch-csv', 'csv'] as const;
export type CdrFormat = (typeof CDR_FORMATS)[number];

export interface ReadOptions {
  format: CdrFormat;
  /** Required for `csv`; `freeswitch-csv` defaults to the shipped `example` template. */
  mapping?: ColumnMapping;
  /** Zone the file's local times are written in (UTC for Asterisk's usegmtime=yes). */
  timezone: string;
  /** Give each record a key from its content (and this salt): the same row always gets the same key. */
  keys?: { salt: string };
}

export interface CdrSink {
  record(r: CdrRecord): void;
  bad(b: BadRow): void;
  /** Bytes read so far, after each chunk; may return a promise to wait on (output backpressure). */
  progress?(bytes: number): void | Promise<void>;
}

export interface ReadSummary {
  lines: number;
  records: number;
  bad: number;
  /** Empty lines and a header line, skipped without complaint. */
  skipped: number;
}

/** The 16 columns every Asterisk cdr-csv row starts with (cdr/cdr_csv.c, build_csv_record). */
export const ASTERISK_CSV_COLUMNS: readonly CdrField[] = [
  'accountcode',
  'src',
  'dst',
  'dcontext',
  'clid',
  'channel',
  'dstchannel',
  'lastapp',
  'lastdata',
  'start',
  'answer',
  'end',
  'duration',
  'billsec',
  'disposition',
  'amaflags',
];

/** An Asterisk uniqueid: `1231977075.0`, or with a system name prefix `pbx1-1231977075.12`. */
const UNIQUEID = /^(?:[\w.-]*-)?\d{9,}\.\d+$/;

/** The fields of an Asterisk cdr-csv row of `n` columns (loguniqueid, loguserfield, newcdrcolumns), or why not. */
function asteriskColumns(fields: string[]): readonly (CdrField | null)[] | string {
  const n = fields.length;
  if (n < 16) return `has ${n} fields; an Asterisk cdr-csv row has 16 to 21 (the row is cut short?)`;
  if (n > 21) return `has ${n} fields; an Asterisk cdr-csv row has 16 to 21 (is --format right?)`;
  const middle = n >= 19 ? n - 19 : n - 16;
  const cols: (CdrField | null)[] = [...ASTERISK_CSV_COLUMNS];
  if (middle === 1) cols.push(UNIQUEID.test(fields[16]!) ? 'uniqueid' : 'userfield');
  else if (middle === 2) cols.push('uniqueid', 'userfield');
  if (n >= 19) cols.push('peeraccount', 'linkedid', 'sequence');
  return cols;
}

const HEADER_WORDS =
  /^(src|dst|start|end|uniqueid|uuid|caller_id_number|destination_number|start_stamp|duration|billsec)$/i;

/** Reads CDR rows from `input` into `sink`; resolves with the counts once the stream ends. */
export async function readCdr(input: Readable, o: ReadOptions, sink: CdrSink): Promise<ReadSummary> {
  const mapping = o.format === 'freeswitch-csv' ? (o.mapping ?? shippedMapping('freeswitch:example')!) : o.mapping;
  if (o.format === 'csv' && !mapping) throw new Error('the csv format needs a column mapping (--mapping)');
  const times = new TimeReader(mapping?.timezone ?? o.timezone);
  const sep = mapping?.separator ?? ',';
  const quote = mapping?.quote ?? '"';
  const prefix = mapping?.prefix;
  const suffix = mapping?.suffix;
  let columns: readonly (CdrField | null)[] | undefined = o.format === 'asterisk-csv' ? undefined : mapping!.columns;
  let needHeader = mapping?.header === true;
  const fields: string[] = [];
  const summary: ReadSummary = { lines: 0, records: 0, bad: 0, skipped: 0 };
  let firstRow = true;

  const bad = (line: number, reason: string, text: string) => {
    summary.bad++;
    sink.bad({ line, reason, text: text.length > 120 ? `${text.slice(0, 120)}…` : text });
  };

  const onLine = (raw: string, line: number) => {
    let text = raw;
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) {
      summary.skipped++;
      return;
    }
    if (prefix !== undefined && text.startsWith(prefix)) text = text.slice(prefix.length);
    if (suffix !== undefined && text.endsWith(suffix)) text = text.slice(0, -suffix.length);
    const why = splitFields(text, fields, sep, quote);
    if (why) return bad(line, why, raw);
    if (needHeader) {
      needHeader = false;
      columns = headerColumns(mapping!, fields);
      summary.skipped++;
      return;
    }
    if (firstRow) {
      firstRow = false;
      // A header line some exports add to a headerless format: recognised by its words, skipped.
      if (fields.some((f) => HEADER_WORDS.test(f.trim())) && !fields.some((f) => /^\d{4}-\d\d-\d\d/.test(f))) {
        summary.skipped++;
        return;
      }
    }
    let cols = columns;
    if (o.format === 'asterisk-csv') {
      const c = asteriskColumns(fields);
      if (typeof c === 'string') return bad(line, c, raw);
      cols = c;
    } else if (fields.length < cols!.length) {
      // A template's trailing columns may be cut off only if nothing we need is there.
      const missing = cols!.slice(fields.length).filter((c) => c === 'start' || c === 'end' || c === 'dst');
      if (missing.length)
        return bad(line, `has ${fields.length} fields; the mapping ${mapping!.name} expects ${cols!.length}`, raw);
    }
    const rec: RawCdr = {};
    const n = Math.min(cols!.length, fields.length);
    for (let i = 0; i < n; i++) {
      const f = cols![i];
      if (f && rec[f] === undefined) rec[f] = fields[i]!;
    }
    const r = toRecord(rec, line, times);
    if (typeof r === 'string') return bad(line, r, raw);
    if (o.keys)
      r.key = createHash('sha1').update(o.keys.salt).update('\0').update(raw).digest('base64url').slice(0, 20);
    summary.records++;
    sink.record(r);
  };

  summary.lines = await readLines(input, {
    line: onLine,
    tooLong: (line, start) => bad(line, 'is longer than 65536 characters', start),
    chunk: sink.progress ? (bytes) => sink.progress!(bytes) : undefined,
  });
  return summary;
}

/** Positions of the mapping's fields in a header line. */
function headerColumns(m: ColumnMapping, header: string[]): (CdrField | null)[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const cols: (CdrField | null)[] = names.map(() => null);
  for (const [field, name] of Object.entries(m.fields ?? {})) {
    const i = names.indexOf(String(name).trim().toLowerCase());
    if (i < 0)
      throw new Error(`${m.name}: the header has no column "${name}" (for ${field}); it has: ${header.join(', ')}`);
    cols[i] = field as CdrField;
  }
  return cols;
}

/** Seconds: undefined when absent, NaN when not a number. */
function seconds(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : NaN;
}

/** Checks one row's fields and derives what the PBX left out (an end from start + duration…). */
export function toRecord(raw: RawCdr, line: number, times: TimeReader): CdrRecord | string {
  const startT = raw.start === undefined ? null : times.read(raw.start);
  if (startT === undefined) return `start ${JSON.stringify(raw.start)} is not a date`;
  const endT = raw.end === undefined ? null : times.read(raw.end);
  if (endT === undefined) return `end ${JSON.stringify(raw.end)} is not a date`;
  const answerT = raw.answer === undefined ? null : times.read(raw.answer);
  if (answerT === undefined) return `answer ${JSON.stringify(raw.answer)} is not a date`;
  let duration = seconds(raw.duration);
  if (Number.isNaN(duration)) return `duration ${JSON.stringify(raw.duration)} is not a number of seconds`;
  let billsec = seconds(raw.billsec);
  if (Number.isNaN(billsec)) return `billsec ${JSON.stringify(raw.billsec)} is not a number of seconds`;
  let start = startT;
  let end = endT;
  if (start === null) {
    if (end !== null && duration !== undefined) start = end - duration * 1000;
    else if (answerT !== null && billsec === undefined) start = answerT;
    else return 'has no start time';
  }
  if (end === null) {
    if (duration !== undefined) end = start + duration * 1000;
    else if (answerT !== null && billsec !== undefined) end = answerT + billsec * 1000;
    else return 'has no end time';
  }
  if (end < start) return `ends (${raw.end}) before it starts (${raw.start})`;
  if (duration === undefined) duration = (end - start) / 1000;
  if (billsec === undefined) billsec = answerT !== null && answerT <= end ? (end - answerT) / 1000 : 0;
  const dst = (raw.dst ?? '').trim();
  if (dst === '') return 'has no called number (dst)';
  const disposition = raw.disposition ?? '';
  const answered = billsec > 0 || /^ANSWERED$/i.test(disposition);
  let answer: number | undefined;
  if (answered) {
    answer = answerT ?? end - billsec * 1000;
    if (answer < start) answer = start;
    if (answer > end) answer = end;
  }
  const r: CdrRecord = {
    line,
    start,
    end,
    duration,
    billsec: answered ? Math.min(billsec, (end - answer!) / 1000) : 0,
    answered,
    src: (raw.src ?? '').trim(),
    dst,
    dcontext: raw.dcontext ?? '',
    clid: raw.clid ?? '',
    channel: raw.channel ?? '',
    dstchannel: raw.dstchannel ?? '',
    lastapp: raw.lastapp ?? '',
    lastdata: raw.lastdata ?? '',
    disposition,
    accountcode: raw.accountcode ?? '',
    userfield: raw.userfield ?? '',
    linkedid: raw.linkedid ?? '',
    blegUuid: raw.blegUuid ?? '',
    userAgent: raw.userAgent ?? '',
    sourceAddress: raw.sourceAddress ?? '',
    direction: raw.direction ?? '',
  };
  if (answer !== undefined) r.answer = answer;
  if (raw.uniqueid) r.id = raw.uniqueid;
  if (!r.src && raw.clid) {
    const m = /<([^>]*)>/.exec(raw.clid);
    if (m) r.src = m[1]!;
  }
  return r;
}
