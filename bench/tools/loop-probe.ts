// bench/tools/loop-probe: loaded into the firewall under test (node --import dist/bench/tools/loop-probe.js) to see
// where the event loop stalls. It records the event-loop delay (1 ms resolution), every GC pause by kind, and the
// time of each SQLite statement run on this thread, and writes them to LOOP_PROBE_OUT (JSON) when the process exits.
// Bench only: nothing in src/ imports it.
import { monitorEventLoopDelay, PerformanceObserver, performance, constants } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import dgram from 'node:dgram';

const out = process.env.LOOP_PROBE_OUT;
const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();

/** Durations in ms by bucket edge: how many were ≥ 1, 2, 5, 10, 20, 50 ms, and the longest. */
class Tail {
  all: number[] = [];
  n = 0;
  total = 0;
  max = 0;
  over: Record<string, number> = { '1': 0, '2': 0, '5': 0, '10': 0, '20': 0, '50': 0 };
  add(ms: number): void {
    if (this.all.length < 200_000) this.all.push(ms);
    this.n++;
    this.total += ms;
    if (ms > this.max) this.max = ms;
    for (const k of Object.keys(this.over)) if (ms >= Number(k)) this.over[k]!++;
  }
}

function percentiles(t: Tail): Record<string, number> {
  const s = [...t.all].sort((a, b) => a - b);
  const at = (p: number): number =>
    Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN) * 1000) / 1000;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999) };
}

const gc: Record<string, Tail> = {};
const kinds: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-sweep',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-cb',
};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = kinds[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
    (gc[kind] ??= new Tail()).add(e.duration);
  }
}).observe({ entryTypes: ['gc'] });

// SQLite statements run on this thread (the call log's writes and reads): their time blocks the loop.
const sqlite: Record<string, Tail> = {};
try {
  const require = createRequire(path.join(process.cwd(), 'x.js'));
  const Database = require(require.resolve('better-sqlite3', { paths: [process.cwd(), import.meta.dirname] }));
  const proto = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1'));
  for (const m of ['run', 'get', 'all'] as const) {
    const orig = proto[m];
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return orig.apply(this, args);
      } finally {
        const key = `${m} ${this.source.slice(0, 40)}`;
        (sqlite[key] ??= new Tail()).add(performance.now() - t0);
      }
    };
  }
  const dbProto = Database.prototype;
  const origTx = dbProto.transaction;
  dbProto.transaction = function (this: unknown, fn: (...a: unknown[]) => unknown) {
    const tx = origTx.call(this, fn);
    return (...args: unknown[]) => {
      const t0 = performance.now();
      try {
        return tx(...args);
      } finally {
        (sqlite['transaction'] ??= new Tail()).add(performance.now() - t0);
      }
    };
  };
} catch (err) {
  sqlite['unavailable: ' + (err as Error).message] = new Tail();
}

// Time inside the firewall, from a datagram's arrival to what it causes going out: an INVITE received → the INVITE
// forwarded (decision, record, send), and a 200 to an INVITE received → the 200 relayed. Found by Call-ID.
const inside: Record<string, Tail> = { 'invite in→out': new Tail(), '200 in→out': new Tail() };
const arrived = new Map<string, number>();
function callIdOf(b: Buffer): string | undefined {
  const i = b.indexOf('\r\nCall-ID:');
  if (i < 0) return undefined;
  const end = b.indexOf('\r\n', i + 10);
  return b.toString('latin1', i + 10, end).trim();
}
function kindOf(b: Buffer): string | undefined {
  if (b[0] === 0x49 && b.toString('latin1', 0, 7) === 'INVITE ') return 'invite';
  if (b.toString('latin1', 0, 12) === 'SIP/2.0 200 ' && b.indexOf(' INVITE\r\n') > 0) return '200';
  return undefined;
}
const emit = dgram.Socket.prototype.emit;
dgram.Socket.prototype.emit = function (this: dgram.Socket, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'message') {
    const b = args[0] as Buffer;
    const k = kindOf(b);
    const id = k && callIdOf(b);
    if (id && !arrived.has(k + id)) arrived.set(k + id, performance.now());
  }
  return (emit as (...a: unknown[]) => boolean).apply(this, [event, ...args]);
} as typeof emit;
const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (this: dgram.Socket, ...args: unknown[]) {
  const b = args[0];
  if (Buffer.isBuffer(b)) {
    const k = kindOf(b);
    const key = k ? k + callIdOf(b) : undefined;
    const t = key ? arrived.get(key) : undefined;
    if (key && t !== undefined) {
      arrived.delete(key);
      inside[k === 'invite' ? 'invite in→out' : '200 in→out']!.add(performance.now() - t);
    }
  }
  return (send as (...a: unknown[]) => void).apply(this, args);
} as typeof send;

process.on('exit', () => {
  if (!out) return;
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  writeFileSync(
    out,
    JSON.stringify(
      {
        eventLoopDelayMs: {
          p50: ms(eld.percentile(50)),
          p99: ms(eld.percentile(99)),
          p999: ms(eld.percentile(99.9)),
          max: ms(eld.max),
          count: eld.count,
        },
        inside: Object.fromEntries(Object.entries(inside).map(([k, t]) => [k, { ...t, p: percentiles(t) }])),
        gc,
        sqlite,
      },
      (k, v) => (k === 'all' ? undefined : v),
      2,
    ),
  );
});
