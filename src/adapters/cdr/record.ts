// What an importer makes of one CDR row, whatever the PBX: the fields Tollguard reads, named as Asterisk names them
// (the CDR vocabulary most people know), times in ms since the epoch. A row that cannot be read becomes a BadRow
// with its line number and why, so the import goes on and its summary can count it.

/** The fields a column mapping can name (Asterisk's CDR names, plus what FreeSWITCH and others add). */
export const CDR_FIELDS = [
  'accountcode',
  'src',
  'dst',
  'dcontext',
  'clid',
  'callerName',
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
  'uniqueid',
  'userfield',
  'peeraccount',
  'linkedid',
  'sequence',
  'blegUuid',
  'userAgent',
  'sourceAddress',
  'gateway',
  'direction',
] as const;

export type CdrField = (typeof CDR_FIELDS)[number];

/** A row's fields as text, before checking: what a mapping extracted. */
export type RawCdr = { [K in CdrField]?: string };

/** One call record, checked and typed. Absent text fields are empty strings. */
export interface CdrRecord {
  /** 1-based line of the row in its file. */
  line: number;
  /** The record's own id: Asterisk `uniqueid`, FreeSWITCH `uuid`; undefined when the file has none. */
  id?: string;
  /** Set up, answered (undefined when never answered) and ended, ms since the epoch. */
  start: number;
  answer?: number;
  end: number;
  /** Seconds from start to end, and of talk (from answer to end), as the PBX wrote them. */
  duration: number;
  billsec: number;
  answered: boolean;
  src: string;
  dst: string;
  dcontext: string;
  clid: string;
  channel: string;
  dstchannel: string;
  lastapp: string;
  lastdata: string;
  disposition: string;
  accountcode: string;
  userfield: string;
  linkedid: string;
  /** FreeSWITCH: the other leg's uuid (a b-leg row whose uuid an a-leg names is the same call). */
  blegUuid: string;
  userAgent: string;
  sourceAddress: string;
  /** A direction the file states (a user mapping's `direction` column): `outbound`, `inbound`, `internal`… */
  direction: string;
  /** A stable key of the row's content, when the reader was asked for one (import: nothing stored twice). */
  key?: string;
}

/** A row that could not be read: reported, skipped and counted. */
export interface BadRow {
  line: number;
  reason: string;
  /** The start of the row, for the report (bounded). */
  text: string;
}
