// Reads CDR text through the importers for tests: every record and bad row, in file order.
import { Readable } from 'node:stream';
import {
  readCdr,
  type BadRow,
  type CdrRecord,
  type ReadOptions,
  type ReadSummary,
} from '../../../src/adapters/cdr/index.js';

export async function readText(
  text: string,
  o: Partial<ReadOptions> = {},
): Promise<{ records: CdrRecord[]; bad: BadRow[]; summary: ReadSummary }> {
  const records: CdrRecord[] = [];
  const bad: BadRow[] = [];
  const summary = await readCdr(
    Readable.from([text]),
    { format: 'asterisk-csv', timezone: 'Europe/Paris', ...o },
    { record: (r) => records.push(r), bad: (b) => bad.push(b) },
  );
  return { records, bad, summary };
}

/** An Asterisk cdr-csv row (18 columns) from the fields that matter, quoted as cdr_csv.c quotes them. */
export function row(f: {
  src: string;
  dst: string;
  dcontext?: string;
  channel?: string;
  dstchannel?: string;
  lastapp?: string;
  lastdata?: string;
  start: string;
  answer?: string;
  end: string;
  billsec: number;
  duration?: number;
  uniqueid?: string;
}): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const duration = f.duration ?? (Date.parse(f.end.replace(' ', 'T')) - Date.parse(f.start.replace(' ', 'T'))) / 1000;
  return [
    q(''),
    q(f.src),
    q(f.dst),
    q(f.dcontext ?? 'from-internal'),
    q(`"" <${f.src}>`),
    q(f.channel ?? `PJSIP/${f.src}-00000001`),
    q(f.dstchannel ?? 'PJSIP/trunk-00000002'),
    q(f.lastapp ?? 'Dial'),
    q(f.lastdata ?? `PJSIP/${f.dst}@trunk,60`),
    q(f.start),
    f.answer ? q(f.answer) : '',
    q(f.end),
    String(duration),
    String(f.billsec),
    q(f.billsec > 0 ? 'ANSWERED' : 'NO ANSWER'),
    q('DOCUMENTATION'),
    q(f.uniqueid ?? ''),
    q(''),
  ].join(',');
}
