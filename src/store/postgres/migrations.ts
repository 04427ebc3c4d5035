// PostgreSQL schema, as numbered steps applied in order at start (same tables as SQLite, PostgreSQL types).
export const postgresMigrations: readonly string[] = [
  // 1: the call log and alerts.
  `
  CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    call_ref TEXT,
    started_at BIGINT NOT NULL,
    answered_at BIGINT,
    ended_at BIGINT,
    caller TEXT NOT NULL,
    called TEXT NOT NULL,
    called_e164 TEXT,
    destination_class TEXT,
    country TEXT,
    source_address TEXT,
    user_agent TEXT,
    disposition TEXT NOT NULL,
    sip_status INTEGER,
    decision JSONB,
    action TEXT,
    rules TEXT[],
    end_reason TEXT,
    estimated_cost DOUBLE PRECISION,
    currency TEXT
  );
  CREATE INDEX calls_tenant_started ON calls (tenant_id, started_at);
  CREATE INDEX calls_started ON calls (started_at);
  CREATE INDEX calls_unfinished ON calls (disposition) WHERE disposition IN ('setup', 'answered');
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    incident_key TEXT NOT NULL,
    severity TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    count INTEGER NOT NULL,
    call_ids JSONB NOT NULL,
    acknowledged_at BIGINT,
    acknowledged_by TEXT
  );
  CREATE UNIQUE INDEX alerts_open ON alerts (tenant_id, incident_key) WHERE acknowledged_at IS NULL;
  CREATE INDEX alerts_last ON alerts (last_at);
  `,
  // 2: bans at the SIP edge, kept across restarts.
  `
  CREATE TABLE bans (
    address TEXT PRIMARY KEY,
    signal TEXT NOT NULL,
    reason TEXT NOT NULL,
    since BIGINT NOT NULL,
    until BIGINT NOT NULL,
    offences INTEGER NOT NULL,
    set_by TEXT
  );
  `,
  // 3: accounts of the API and console, their sessions and API tokens.
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    tenants TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX sessions_account ON sessions (account_id);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
  );
  `,
  // 4: what an incident's calls cost; digests sent per tenant and period (so a restart sends each once).
  `
  ALTER TABLE alerts ADD COLUMN cost JSONB;
  CREATE TABLE digests (
    tenant_id TEXT NOT NULL,
    period TEXT NOT NULL,
    start TEXT NOT NULL,
    claimed_at BIGINT NOT NULL,
    sent_at BIGINT,
    PRIMARY KEY (tenant_id, period, start)
  );
  `,
  // 5: traffic profiles (R-ANOMALY), one row per tenant and scope ('' the tenant, else an extension).
  `
  CREATE TABLE profiles (
    tenant_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    data JSONB NOT NULL,
    PRIMARY KEY (tenant_id, scope)
  );
  `,
  // 6: audit reports uploaded through the API, newest first per tenant.
  `
  CREATE TABLE audit_reports (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    pbx TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    source TEXT NOT NULL,
    counts TEXT NOT NULL,
    worst TEXT NOT NULL,
    result TEXT NOT NULL
  );
  CREATE INDEX audit_reports_tenant ON audit_reports (tenant_id, created_at);
  `,
];
