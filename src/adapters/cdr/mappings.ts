// Column mappings: which CDR field each column of a file holds. FreeSWITCH cdr_csv and Asterisk cdr_custom write
// whatever their templates say, so a mapping is read from the template itself (`"${caller_id_number}",…`,
// `${CSV_QUOTE(${CDR(src)})},…` or cdr_custom's newer `fields = clid,src,…`); the templates those modules ship are
// built in under their names. Any other CSV is read through a user mapping file (YAML or JSON).
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { CDR_FIELDS, type CdrField } from './record.js';

/** How to read one CSV layout. */
export interface ColumnMapping {
  /** Shown in messages (`freeswitch:example`, the user's file name). */
  name: string;
  /** The field of each column by position; null for a column Tollguard does not read. Unset with `header`. */
  columns?: Array<CdrField | null>;
  /** The first line names the columns; `fields` says which header names hold which field. */
  header?: boolean;
  /** With `header`: field → header name (case-insensitive). Without: field → 1-based column. */
  fields?: Partial<Record<CdrField, string | number>>;
  /** Field separator (default `,`) and quote character (default `"`). */
  separator?: string;
  quote?: string;
  /** Text every line starts and ends with, taken off first (FreeSWITCH's `sql` template writes SQL statements). */
  prefix?: string;
  suffix?: string;
  /** Zone the file's local times are in, over the command's `--timezone`. */
  timezone?: string;
}

/** FreeSWITCH channel variables (as cdr_csv templates name them) and the CDR field each holds. */
const FREESWITCH_VARIABLES: Record<string, CdrField> = {
  caller_id_name: 'callerName',
  caller_id_number: 'src',
  ani: 'src',
  destination_number: 'dst',
  context: 'dcontext',
  caller_id: 'clid',
  channel_name: 'channel',
  bridge_channel: 'dstchannel',
  last_app: 'lastapp',
  last_arg: 'lastdata',
  start_stamp: 'start',
  answer_stamp: 'answer',
  end_stamp: 'end',
  start_epoch: 'start',
  answer_epoch: 'answer',
  end_epoch: 'end',
  start_uepoch: 'start',
  answer_uepoch: 'answer',
  end_uepoch: 'end',
  duration: 'duration',
  billsec: 'billsec',
  hangup_cause: 'disposition',
  amaflags: 'amaflags',
  uuid: 'uniqueid',
  bleg_uuid: 'blegUuid',
  accountcode: 'accountcode',
  userfield: 'userfield',
  sip_user_agent: 'userAgent',
  network_addr: 'sourceAddress',
  sip_network_ip: 'sourceAddress',
  sip_gateway_name: 'gateway',
};

const ASTERISK_NAMES = new Set<string>(CDR_FIELDS);

/**
 * The templates shipped in FreeSWITCH's vanilla autoload_configs/cdr_csv.conf.xml (`example` is the default), and
 * the Asterisk cdr_custom mappings: `asterisk-custom` is the Master.csv line of configs/basic-pbx/cdr_custom.conf
 * (the same as the legacy one in cdr_custom.conf.sample); `asterisk-custom-fields` the sample's newer `fields =`.
 */
export const SHIPPED_TEMPLATES: Record<string, string> = {
  'freeswitch:example':
    '"${caller_id_name}","${caller_id_number}","${destination_number}","${context}","${start_stamp}","${answer_stamp}","${end_stamp}","${duration}","${billsec}","${hangup_cause}","${uuid}","${bleg_uuid}","${accountcode}","${read_codec}","${write_codec}"',
  'freeswitch:sql':
    'INSERT INTO cdr VALUES ("${caller_id_name}","${caller_id_number}","${destination_number}","${context}","${start_stamp}","${answer_stamp}","${end_stamp}","${duration}","${billsec}","${hangup_cause}","${uuid}","${bleg_uuid}", "${accountcode}");',
  'freeswitch:snom':
    '"${caller_id_name}","${caller_id_number}","${destination_number}","${context}","${start_stamp}","${answer_stamp}","${end_stamp}","${duration}","${billsec}","${hangup_cause}","${uuid}","${bleg_uuid}", "${accountcode}","${read_codec}","${write_codec}","${sip_user_agent}","${call_clientcode}","${sip_rtp_rxstat}","${sip_rtp_txstat}","${sofia_record_file}"',
  'freeswitch:linksys':
    '"${caller_id_name}","${caller_id_number}","${destination_number}","${context}","${start_stamp}","${answer_stamp}","${end_stamp}","${duration}","${billsec}","${hangup_cause}","${uuid}","${bleg_uuid}","${accountcode}","${read_codec}","${write_codec}","${sip_user_agent}","${sip_p_rtp_stat}"',
  'freeswitch:asterisk':
    '"${accountcode}","${caller_id_number}","${destination_number}","${context}","${caller_id}","${channel_name}","${bridge_channel}","${last_app}","${last_arg}","${start_stamp}","${answer_stamp}","${end_stamp}","${duration}","${billsec}","${hangup_cause}","${amaflags}","${uuid}","${userfield}"',
  'freeswitch:opencdrrate':
    '"${uuid}","${signal_bond}","${direction}","${ani}","${destination_number}","${answer_stamp}","${end_stamp}","${billsec}","${accountcode}","${userfield}","${network_addr}","${regex(\'${original_caller_id_name}\'|^.)}","${sip_gateway_name}"',
  'asterisk-custom':
    'Master.csv => ${CSV_QUOTE(${CDR(clid)})},${CSV_QUOTE(${CDR(src)})},${CSV_QUOTE(${CDR(dst)})},${CSV_QUOTE(${CDR(dcontext)})},${CSV_QUOTE(${CDR(channel)})},${CSV_QUOTE(${CDR(dstchannel)})},${CSV_QUOTE(${CDR(lastapp)})},${CSV_QUOTE(${CDR(lastdata)})},${CSV_QUOTE(${CDR(start)})},${CSV_QUOTE(${CDR(answer)})},${CSV_QUOTE(${CDR(end)})},${CSV_QUOTE(${CDR(duration)})},${CSV_QUOTE(${CDR(billsec)})},${CSV_QUOTE(${CDR(disposition)})},${CSV_QUOTE(${CDR(amaflags)})},${CSV_QUOTE(${CDR(accountcode)})},${CSV_QUOTE(${CDR(uniqueid)})},${CSV_QUOTE(${CDR(userfield)})},${CDR(sequence)}',
  'asterisk-custom-fields':
    'fields = clid,"Some Literal",src, dst, dcontext, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags, accountcode, uniqueid(noquote), userfield, sequence,ds_type(uservar)',
};

/** Splits a template on the commas between its items (not those inside `${…}` or quotes). */
function templateItems(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' && depth === 0) quoted = !quoted;
    if (c === '{' && text[i - 1] === '$') depth++;
    else if (c === '}' && depth > 0) depth--;
    if (c === ',' && depth === 0 && !quoted) {
      items.push(cur);
      cur = '';
    } else cur += c;
  }
  items.push(cur);
  return items.map((s) => s.trim());
}

/**
 * A mapping from a template: a FreeSWITCH cdr_csv template, an Asterisk cdr_custom legacy mapping line
 * (`Master.csv => ${CSV_QUOTE(${CDR(src)})},…`) or a cdr_custom `fields = …` line. Columns Tollguard does not read
 * (codecs, literals, user variables) are kept as placeholders so positions stay right.
 */
export function mappingFromTemplate(name: string, template: string): ColumnMapping {
  let text = template.trim();
  const mapping: ColumnMapping = { name };
  const sql = /^(INSERT INTO [^(]*\()(.*)(\);?)$/is.exec(text);
  if (sql) {
    mapping.prefix = sql[1]!;
    mapping.suffix = sql[3]!;
    text = sql[2]!;
  }
  const legacy = /^[^=]*=>\s*(.*)$/s.exec(text);
  const fieldsLine = /^fields\s*=\s*(.*)$/is.exec(text);
  if (legacy) text = legacy[1]!;
  else if (fieldsLine) text = fieldsLine[1]!;
  const columns: Array<CdrField | null> = [];
  for (const item of templateItems(text)) {
    let field: CdrField | null = null;
    const cdr = /\$\{CDR\(([a-z_]+)[^)]*\)\}/i.exec(item);
    const variable = /^"?\$\{([a-z_]+)\}"?$/i.exec(item);
    if (cdr) field = asteriskField(cdr[1]!);
    else if (variable) field = FREESWITCH_VARIABLES[variable[1]!.toLowerCase()] ?? null;
    else if (fieldsLine) {
      // cdr_custom `fields`: a name with optional qualifiers, `uservar` ones are the user's own variables.
      const f = /^([a-z_]+)(?:\(([^)]*)\))?$/i.exec(item);
      if (f && !/uservar/i.test(f[2] ?? '')) field = asteriskField(f[1]!);
    }
    columns.push(field);
  }
  if (!columns.some((c) => c === 'start' || c === 'answer' || c === 'end')) {
    throw new Error(`${name}: the template names no start, answer or end time`);
  }
  mapping.columns = columns;
  return mapping;
}

function asteriskField(name: string): CdrField | null {
  const n = name.toLowerCase();
  return ASTERISK_NAMES.has(n) ? (n as CdrField) : null;
}

/** The shipped mapping called `name` (`freeswitch:example`, `asterisk-custom`…), or undefined. */
export function shippedMapping(name: string): ColumnMapping | undefined {
  const key = name in SHIPPED_TEMPLATES ? name : `freeswitch:${name}`;
  const t = SHIPPED_TEMPLATES[key];
  return t === undefined ? undefined : mappingFromTemplate(key, t);
}

/**
 * Reads a user mapping file. YAML or JSON, one of:
 * - `template: '"${caller_id_name}",…'`: the template line of the PBX's configuration, copied;
 * - `columns: [src, dst, null, start, …]`: the field of each column by position;
 * - `header: true` and `fields: { src: Caller, dst: Called, start: Date, … }`: header names of the fields;
 * - `fields: { src: 2, dst: 3, start: 5 }`: 1-based positions.
 * Optional: `separator`, `quote`, `timezone`. Throws with a message naming the file.
 */
export function loadMappingFile(file: string): ColumnMapping {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the mapping ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  return mappingFromObject(file, doc);
}

export function mappingFromObject(name: string, doc: unknown): ColumnMapping {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new Error(`${name}: a mapping is a set of keys (template, columns, header, fields…)`);
  }
  const o = doc as Record<string, unknown>;
  const known = new Set(['template', 'columns', 'header', 'fields', 'separator', 'quote', 'timezone']);
  const unknown = Object.keys(o).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`${name}: unknown key(s) ${unknown.join(', ')}`);
  let m: ColumnMapping;
  if (typeof o.template === 'string') m = mappingFromTemplate(name, o.template);
  else if (Array.isArray(o.columns)) {
    m = {
      name,
      columns: o.columns.map((c, i) => {
        if (c === null || c === '' || c === '-') return null;
        if (typeof c !== 'string' || !ASTERISK_NAMES.has(c)) {
          throw new Error(`${name}: column ${i + 1}: ${JSON.stringify(c)} is not a field (${CDR_FIELDS.join(', ')})`);
        }
        return c as CdrField;
      }),
    };
  } else if (typeof o.fields === 'object' && o.fields !== null) {
    const fields: Partial<Record<CdrField, string | number>> = {};
    for (const [k, v] of Object.entries(o.fields as Record<string, unknown>)) {
      if (!ASTERISK_NAMES.has(k)) throw new Error(`${name}: fields: ${k} is not a field (${CDR_FIELDS.join(', ')})`);
      if (o.header === true ? typeof v !== 'string' : !(Number.isInteger(v) && (v as number) >= 1)) {
        throw new Error(
          `${name}: fields.${k}: give ${o.header === true ? 'the header name of the column' : 'its 1-based column number (or set header: true)'}`,
        );
      }
      fields[k as CdrField] = v as string | number;
    }
    m = { name, fields, header: o.header === true };
    if (!m.header) {
      const columns: Array<CdrField | null> = [];
      for (const [k, v] of Object.entries(fields)) {
        while (columns.length < (v as number)) columns.push(null);
        columns[(v as number) - 1] = k as CdrField;
      }
      m.columns = columns;
    }
  } else throw new Error(`${name}: give template, columns or fields`);
  for (const k of ['separator', 'quote'] as const) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' || (v.length !== 1 && v !== '\\t'))
      throw new Error(`${name}: ${k} must be one character`);
    m[k] = v === '\\t' ? '\t' : v;
  }
  if (o.timezone !== undefined) {
    if (typeof o.timezone !== 'string') throw new Error(`${name}: timezone must be an IANA zone name`);
    m.timezone = o.timezone;
  }
  const has = (f: CdrField) => (m.columns ?? []).includes(f) || (m.fields !== undefined && f in m.fields);
  if (!has('start') && !has('end')) throw new Error(`${name}: the mapping names neither start nor end`);
  if (!has('dst')) throw new Error(`${name}: the mapping does not name dst (the called number)`);
  return m;
}
