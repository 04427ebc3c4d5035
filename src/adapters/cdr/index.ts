// CDR adapters: importers for Asterisk cdr-csv, FreeSWITCH cdr_csv, Asterisk cdr_custom and any CSV (through a
// column mapping), direction and leg detection, and replay through the engine.
export type { CdrRecord, BadRow, CdrField, RawCdr } from './record.js';
export { CDR_FIELDS } from './record.js';
export {
  readCdr,
  toRecord,
  CDR_FORMATS,
  ASTERISK_CSV_COLUMNS,
  type CdrFormat,
  type ReadOptions,
  type ReadSummary,
  type CdrSink,
} from './reader.js';
export { splitFields, readLines, MAX_LINE } from './lines.js';
export { TimeReader } from './time.js';
export {
  SHIPPED_TEMPLATES,
  mappingFromTemplate,
  mappingFromObject,
  shippedMapping,
  loadMappingFile,
  type ColumnMapping,
} from './mappings.js';
export { LegReader, LEGS, type Leg, type LegView, type LegOptions } from './legs.js';
export { StartOrder, DEFAULT_REORDER_WINDOW_MS } from './order.js';
export { Replayer, type CallOutcome, type ReplayOptions, type ReplayCall } from './replay.js';
export { SummaryBuilder, type ReplayReport, type Incident, type RuleTally, type DayTally } from './summary.js';
export { renderReport } from './render.js';
export { replayCdr, type ReplaySessionOptions } from './session.js';
export { Progress } from './progress.js';
export {
  officeTraffic,
  officeMasterCsv,
  asteriskRow,
  endOf,
  localText,
  localTime,
  rng,
  type GeneratedCall,
  type TrafficOptions,
} from './generator.js';
export { ReplayRun, callOfCdr, type ReplayRunOptions } from './session.js';
export {
  replayCallLog,
  recordsInStartOrder,
  callOfRecord,
  STORED_PAGE,
  type CallLogReplay,
  type CallLogReplayOptions,
  type StoredRange,
  type StoredReadState,
} from './stored.js';
