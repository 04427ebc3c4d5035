// The store's ports: what the rest of Tollguard may ask of storage. Back ends (memory, SQLite, PostgreSQL) implement
// them and pass the same contract tests (test/integration/store/). Methods are async so a networked back end fits.

export type Direction = 'outbound' | 'inbound';

/**
 * Where a call stands, or how it ended.
 * - `setup`: being set up (forwarded, no final answer yet)
 * - `answered`: answered and still going
 * - `completed`: answered, then hung up by a party
 * - `unanswered`: ended before answer (busy, no answer, cancelled, failed)
 * - `rejected`: refused by Tollguard at setup
 * - `cut`: ended by Tollguard while it went on
 * - `lost-end`: its end was never seen (a crash); closed at the next start
 */
export type Disposition = 'setup' | 'answered' | 'completed' | 'unanswered' | 'rejected' | 'cut' | 'lost-end';

/** One call in or out, as the call log keeps it (R-MONITOR). Times are ms since the epoch. */
export interface CallRecord {
  /** Tollguard's id of the call (unique across tenants). */
  id: string;
  tenantId: string;
  direction: Direction;
  /** The SIP Call-ID, or the CDR's uniqueid for imported records. */
  callRef?: string;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  caller: string;
  /** The number as dialled (Request-URI user part). */
  called: string;
  /** The called number in E.164, when it could be normalised. */
  calledE164?: string;
  destinationClass?: string;
  country?: string;
  sourceAddress?: string;
  userAgent?: string;
  disposition: Disposition;
  /** The SIP status that ended setup (200, 403, 486, 487…). */
  sipStatus?: number;
  /** The engine's decision (action, enforced, signals) as JSON. */
  decision?: unknown;
  /** Strongest action of the decision, kept apart so it can be searched. */
  action?: string;
  /** Rule ids that raised a signal, kept apart so they can be searched. */
  rules?: string[];
  /** Why it ended: `caller-bye`, `callee-bye`, `cancel`, `cut: <rule>`, `lost-end`… */
  endReason?: string;
  estimatedCost?: number;
  currency?: string;
}

/** What may change after a record is opened. */
export type CallRecordUpdate = Partial<
  Pick<
    CallRecord,
    | 'answeredAt'
    | 'endedAt'
    | 'disposition'
    | 'sipStatus'
    | 'decision'
    | 'action'
    | 'rules'
    | 'endReason'
    | 'estimatedCost'
    | 'currency'
  >
>;

export interface CallQuery {
  tenantIds?: string[];
  /** Matches caller, called or its E.164 form (substring). */
  number?: string;
  direction?: Direction;
  action?: string;
  rule?: string;
  disposition?: Disposition;
  /** startedAt ≥ from (ms). */
  from?: number;
  /** startedAt < to (ms). */
  to?: number;
  /** Newest first; at most this many (default 100, at most 10,000). */
  limit?: number;
  /** Skip the first N results. */
  offset?: number;
}

export interface CallLog {
  /** Writes a new record; the call is traced from here on, even if Tollguard stops before it ends. */
  open(record: CallRecord): Promise<void>;
  update(id: string, patch: CallRecordUpdate): Promise<void>;
  get(id: string): Promise<CallRecord | undefined>;
  search(query: CallQuery): Promise<CallRecord[]>;
  /** Closes every record still in `setup` or `answered` as `lost-end` (at start, after a crash); returns how many. */
  closeUnfinished(at: number): Promise<number>;
  /** Deletes records of a tenant that started before `before` (retention, R-CONFIDENTIAL); returns how many. */
  purge(tenantId: string, before: number): Promise<number>;
  /** Counts and costs of a tenant's calls started in [from, to), for digests (R-REVIEW): one pass in the store. */
  summarize(query: CallSummaryQuery): Promise<CallSummary>;
}

export interface CallSummaryQuery {
  tenantId: string;
  /** startedAt ≥ from (ms). */
  from: number;
  /** startedAt < to (ms). */
  to: number;
  /** Rows kept per destination list, most expensive first (then most called). */
  top: number;
}

/** One destination (a country, a class or a number) of outbound calls, with what they cost. */
export interface DestinationTotal {
  key: string;
  calls: number;
  cost: number;
}

/** What a tenant's calls of a period add up to. Costs are the engine's estimates, summed; not a bill. */
export interface CallSummary {
  inbound: number;
  outbound: number;
  /** Calls by disposition (`completed`, `rejected`, `cut`…); absent keys are zero. */
  dispositions: Record<string, number>;
  /** Calls by the decision's strongest action (`allow`, `alert`, `reject`…); absent keys are zero. */
  actions: Record<string, number>;
  /** Estimated cost of every call. */
  cost: number;
  /** Outbound calls by country, class and E.164 number (the number as dialled when it has none), `top` of each. */
  countries: DestinationTotal[];
  classes: DestinationTotal[];
  numbers: DestinationTotal[];
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** What an incident's calls cost, as the engine estimates it from the tenant's tariffs (not a bill). */
export interface AlertCost {
  currency: string;
  /** Estimated cost of the calls so far: nothing for a call refused at setup, up to the cut for a cut one. */
  spent: number;
  /** What an hour of talk on these calls costs (summed over them): what letting them through would have cost. */
  perHour: number;
}

/** Something a person should know about: one incident, updated as it goes on. */
export interface AlertRecord {
  id: string;
  tenantId: string;
  /** Groups what belongs together: one attack is one alert with updates. */
  incidentKey: string;
  severity: Severity;
  title: string;
  body: string;
  firstAt: number;
  lastAt: number;
  /** How many events the incident holds. */
  count: number;
  /** Call ids involved (bounded). */
  callIds: string[];
  /** Summed over the incident's events, when they are about calls. */
  cost?: AlertCost;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
}

export interface AlertQuery {
  tenantIds?: string[];
  open?: boolean;
  limit?: number;
}

export interface AlertLog {
  /** Adds an alert, or folds it into the open alert of the same tenant and incident key; returns the stored alert. */
  raise(
    alert: Omit<AlertRecord, 'id' | 'lastAt' | 'count' | 'acknowledgedAt' | 'acknowledgedBy'>,
  ): Promise<AlertRecord>;
  acknowledge(id: string, by: string, at: number): Promise<boolean>;
  list(query: AlertQuery): Promise<AlertRecord[]>;
}

/** A source address (or network) refused at the SIP edge until `until` (R-EXPOSURE, R-LOCKOUT). */
export interface Ban {
  /** An IP address, or a network in CIDR form. */
  address: string;
  /** The edge signal that caused it (`SCAN_USER_AGENT`, `FLOOD_SOURCE`…), or `manual`. */
  signal: string;
  reason: string;
  since: number;
  until: number;
  /** How many times this address was banned: each repeat bans it longer. */
  offences: number;
  /** Who set it by hand (a person, through the API or `tollguard bans add`). */
  by?: string;
}

/**
 * Bans, kept across restarts and shared by the nodes of one store. Expired bans stay for a while so a repeat
 * offender is banned longer; `purge` forgets them.
 */
export interface BanLog {
  /** Every ban kept, in force or expired. */
  list(): Promise<Ban[]>;
  /** Adds or replaces the ban of `ban.address`. */
  put(ban: Ban): Promise<void>;
  /** Lifts a ban; false when there was none. */
  remove(address: string): Promise<boolean>;
  /** Forgets bans that ended before `before`; returns how many. */
  purge(before: number): Promise<number>;
}

/**
 * Who may do what through the API and the console (R-CONFIDENTIAL: least privilege).
 * - `integrator`: everything, on its tenants (every tenant when `tenants` is `['*']`), accounts included
 * - `tenant-admin`: everything on one tenant's data and policy, and that tenant's accounts
 * - `viewer`: reads its tenants' data, changes nothing
 */
export type Role = 'integrator' | 'tenant-admin' | 'viewer';

/** A person's (or a machine's) account on the API and console. */
export interface Account {
  id: string;
  /** The login, unique, compared case-insensitively (kept as typed). */
  username: string;
  role: Role;
  /** Tenant ids the account may see; `['*']` is every tenant (integrators only). */
  tenants: string[];
  /** `scrypt$N$r$p$salt$hash` (base64url): the password itself is never kept. */
  passwordHash: string;
  createdAt: number;
  /** Failed logins since the last good one; the third locks the account (R-LOCKOUT). */
  failedLogins: number;
  /** Logins refused until then (ms), after too many failures. */
  lockedUntil?: number;
}

export type AccountUpdate = Partial<
  Pick<Account, 'role' | 'tenants' | 'passwordHash' | 'failedLogins' | 'lockedUntil'>
>;

/** A console login: the cookie holds a secret, the store its SHA-256 (a stolen database opens no session). */
export interface Session {
  /** SHA-256 (hex) of the cookie's secret. */
  id: string;
  accountId: string;
  /** Sent back in the `x-csrf-token` header of every request that changes something. */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

/** A bearer token for a machine (a script, Prometheus, the CLI), acting as its account. */
export interface ApiToken {
  id: string;
  accountId: string;
  /** What it is for, e.g. `cli on pbx-gw1`. */
  name: string;
  /** SHA-256 (hex) of the token; the token is shown once, when it is made. */
  hash: string;
  createdAt: number;
}

/** Accounts, their sessions and their tokens; shared by the nodes of one store. */
export interface AccountStore {
  /** Adds an account; throws a `TG_ERR_CONFLICT` error when the username is taken. */
  create(account: Account): Promise<void>;
  get(id: string): Promise<Account | undefined>;
  byUsername(username: string): Promise<Account | undefined>;
  list(): Promise<Account[]>;
  update(id: string, patch: AccountUpdate): Promise<boolean>;
  /** Removes an account with its sessions and tokens. */
  remove(id: string): Promise<boolean>;
  putSession(session: Session): Promise<void>;
  session(id: string): Promise<Session | undefined>;
  removeSession(id: string): Promise<void>;
  /** Ends every session of an account (a password change, a lock); returns how many. */
  removeSessionsOf(accountId: string): Promise<number>;
  /** Forgets sessions that expired before `before`; returns how many. */
  purgeSessions(before: number): Promise<number>;
  putToken(token: ApiToken): Promise<void>;
  tokenByHash(hash: string): Promise<ApiToken | undefined>;
  /** Tokens of one account, or all. */
  tokens(accountId?: string): Promise<ApiToken[]>;
  removeToken(id: string): Promise<boolean>;
}

export type DigestPeriod = 'day' | 'week';

/** One digest of a tenant and period, as the store remembers it: claimed by a node, then sent. */
export interface DigestMark {
  tenantId: string;
  period: DigestPeriod;
  /** The period's first local day, `YYYY-MM-DD` in the tenant's zone. */
  start: string;
  claimedAt: number;
  sentAt?: number;
}

/**
 * Which digests were sent, so a restart neither sends one twice nor skips one, and nodes sharing a store send each
 * once. A claim that was never marked sent (a crash while sending, every channel down) can be claimed again once stale.
 */
export interface DigestLog {
  /** Claims a digest for sending: true when it was not claimed yet, or its claim is unsent and older than `staleBefore`. */
  claim(tenantId: string, period: DigestPeriod, start: string, at: number, staleBefore: number): Promise<boolean>;
  /** Marks a claimed digest sent. */
  sent(tenantId: string, period: DigestPeriod, start: string, at: number): Promise<void>;
  /** The digest of this tenant and period with the latest start, sent or only claimed. */
  last(tenantId: string, period: DigestPeriod): Promise<DigestMark | undefined>;
}

/** One scope of a tenant's traffic profile (R-ANOMALY): what the engine learned, as JSON it alone reads. */
export interface ProfileRow {
  tenantId: string;
  /** `''` for the tenant's own profile, else an extension. */
  scope: string;
  updatedAt: number;
  data: unknown;
}

/**
 * Traffic profiles, kept across restarts: the engine learns them in memory and they are saved in the background,
 * only the scopes that changed (never a store round trip per call).
 */
export interface ProfileStore {
  /** Every scope of a tenant. */
  load(tenantId: string): Promise<ProfileRow[]>;
  /** Adds or replaces rows (by tenant and scope), all of them or none. */
  save(rows: ProfileRow[]): Promise<void>;
  /** Forgets a tenant's profile (it is learned again); returns how many scopes went. */
  remove(tenantId: string): Promise<number>;
}

/** One audit of a tenant's PBX configuration, uploaded through the API and run there (R-REVIEW). */
export interface AuditReport {
  id: string;
  tenantId: string;
  pbx: 'asterisk' | 'freeswitch';
  createdAt: number;
  /** Who ran it: the account's username. */
  by: string;
  /** What was audited: the archive's name and the folder inside it (`conf.tar.gz: etc/asterisk`). */
  source: string;
  /** Findings by severity, and the worst (`none` without any): what a list shows without the whole result. */
  counts: Record<string, number>;
  worst: string;
  /** The audit's result (findings, notes, files read, checks, version) as JSON. */
  result: unknown;
}

export type AuditReportSummary = Omit<AuditReport, 'result'>;

/** The audit reports of each tenant, newest first. */
export interface AuditReportStore {
  put(report: AuditReport): Promise<void>;
  /** One report of a tenant, the newest when `id` is not given; never another tenant's. */
  get(tenantId: string, id?: string): Promise<AuditReport | undefined>;
  /** A tenant's reports, newest first, without their results (at most `limit`, default 100, at most 1,000). */
  list(tenantId: string, limit?: number): Promise<AuditReportSummary[]>;
  /** Keeps the newest `keep` reports of a tenant; returns how many were removed. */
  prune(tenantId: string, keep: number): Promise<number>;
}

/** Everything a back end provides. */
export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  readonly calls: CallLog;
  readonly alerts: AlertLog;
  readonly bans: BanLog;
  readonly accounts: AccountStore;
  readonly digests: DigestLog;
  readonly profiles: ProfileStore;
  readonly audits: AuditReportStore;
  close(): Promise<void>;
}
