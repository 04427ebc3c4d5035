// The SQLite call log's writer thread and journal: records are journalled when `open` returns and committed by the
// writer; what a killed process journalled is in the log after the next start; a committed segment is deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../../src/store/index.js';
import { loaderArgs } from '../../../src/store/sqlite/sqlite-store.js';
import { CALL_COLUMN_NAMES, journalName, orphanJournals } from '../../../src/store/sqlite/call-log-writes.js';
import type { CallRecord } from '../../../src/store/ports.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-writer-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function record(id: string, startedAt = 1000): CallRecord {
  return {
    id,
    tenantId: 'acme',
    direction: 'outbound',
    startedAt,
    caller: '201',
    called: '0145678901',
    disposition: 'setup',
    userAgent: 'Téléphone 1.0',
  };
}

/** A journal line as the store writes it, with a record's columns in order. */
function line(r: CallRecord): string {
  const byCol: Record<string, unknown> = {
    id: r.id,
    tenant_id: r.tenantId,
    direction: r.direction,
    started_at: r.startedAt,
    caller: r.caller,
    called: r.called,
    disposition: r.disposition,
    user_agent: r.userAgent,
  };
  return JSON.stringify(CALL_COLUMN_NAMES.map((c) => byCol[c] ?? null)) + '\n';
}

test('open journals the record before it returns; the journal is gone once the store closes', async () => {
  const file = path.join(dir, 'a.db');
  const store = await openStore(`sqlite:${file}`);
  const opened = store.calls.open(record('a1'));
  const journals = readdirSync(dir).filter((f) => f.startsWith('a.db-open-'));
  assert.equal(journals.length, 1, 'a journal segment exists as soon as open returns');
  await opened;
  assert.equal((await store.calls.get('a1'))?.userAgent, 'Téléphone 1.0');
  await store.close();
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('a.db-open-')),
    [],
  );
});

test('records a dead process journalled are in the log after the next start, once, and marked lost-end', async () => {
  const file = path.join(dir, 'b.db');
  const first = await openStore(`sqlite:${file}`);
  await first.calls.open(record('b1'));
  await first.close();
  // A process that died (no such pid) journalled b1 (committed) and b2 (not), and was cut in its last line.
  const dead = 2 ** 22 + 12345;
  writeFileSync(journalName(file, dead, 1), line(record('b1')) + line(record('b2', 2000)) + '["b3", "acm');
  const second = await openStore(`sqlite:${file}`);
  assert.equal(await second.calls.closeUnfinished(5000), 2);
  const all = await second.calls.search({});
  assert.deepEqual(all.map((r) => r.id).sort(), ['b1', 'b2']);
  assert.ok(all.every((r) => r.disposition === 'lost-end'));
  await second.close();
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('b.db-open-')),
    [],
  );
});

test('a journal of a process still running is left alone', () => {
  const file = path.join(dir, 'c.db');
  const names = [
    path.basename(journalName(file, process.pid, 1)),
    path.basename(journalName(file, 7, 2)),
    path.basename(journalName(file, 7, 1)),
    'c.db-wal',
    'other.db-open-7-1.jsonl',
  ];
  assert.deepEqual(
    orphanJournals(file, names, (pid) => pid === process.pid),
    ['c.db-open-7-1.jsonl', 'c.db-open-7-2.jsonl'],
  );
});

test('many records through the writer: each committed once, in order, and readable at once', async () => {
  const file = path.join(dir, 'd.db');
  const store = await openStore(`sqlite:${file}`);
  const done: Promise<void>[] = [];
  for (let i = 0; i < 5000; i++) {
    done.push(store.calls.open(record(`d${i}`, 10_000 + i)));
    done.push(store.calls.update(`d${i}`, { disposition: 'completed', endedAt: 20_000 + i }));
  }
  await Promise.all(done);
  const page = await store.calls.search({ limit: 10_000 });
  assert.equal(page.length, 5000);
  assert.ok(page.every((r) => r.disposition === 'completed'));
  await assert.rejects(store.calls.open(record('d1')));
  await store.close();
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('d.db-open-')),
    [],
  );
});

test('the writer thread takes only the options that load code', () => {
  assert.deepEqual(
    loaderArgs(['--max-semi-space-size=2', '--import', 'tsx', '--input-type=module', '-e', 'x', '--require=a.cjs']),
    ['--import', 'tsx', '--require=a.cjs'],
  );
});
