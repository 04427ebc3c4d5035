// Runs real SIPp peers for end-to-end tests: a PBX side and a trunk side on their own loopback addresses
// (127.0.0.2, 127.0.0.3), scenarios from test/e2e/scenarios named by what they expect. Every run is bounded by
// call count and by a global timeout.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './fixtures.js';
import { inCi } from './services.js';

export const scenarioDir = path.join(repoRoot, 'test', 'e2e', 'scenarios');

/** Why SIPp tests cannot run here, or undefined. Under CI a missing SIPp fails instead of skipping. */
export function sippUnavailable(): string | undefined {
  const r = spawnSync('sipp', ['-v'], { encoding: 'utf8' });
  if (r.error) {
    if (inCi) throw new Error('sipp is not installed (apt-get install sip-tester); CI must run these tests');
    return 'sipp is not installed (apt-get install sip-tester)';
  }
  return undefined;
}

export interface SippOptions {
  /** Scenario file name in test/e2e/scenarios. */
  scenario: string;
  localIp: string;
  localPort: number;
  /** host:port to send to (UAC); omitted for a UAS. */
  remote?: string;
  /** The called number ([service]). */
  service?: string;
  /** Stop after this many calls (-m). */
  calls: number;
  /** Calls per second (-r). */
  rate?: number;
  /** Maximum simultaneous calls (-l). */
  limit?: number;
  /** The `<pause/>` length in ms (-d). */
  pauseMs?: number;
  /** Global bound in seconds (-timeout); SIPp exits then, whatever it was doing. */
  timeoutS: number;
  transport?: 'u1' | 'un' | 't1' | 'tn';
  extraArgs?: string[];
}

export interface SippResult {
  /** SIPp's exit code: 0 every call succeeded, 1 some failed, 99 no call processed, others fatal. */
  status: number | null;
  successful: number;
  failed: number;
  /** Incoming calls counted (for a UAS: calls that reached it). */
  created: number;
  output: string;
  statsFile: string;
}

function args(o: SippOptions, statsFile: string): string[] {
  const a = [
    '-sf',
    path.join(scenarioDir, o.scenario),
    '-i',
    o.localIp,
    '-p',
    String(o.localPort),
    '-m',
    String(o.calls),
  ];
  a.push('-nostdin', '-trace_stat', '-stf', statsFile, '-fd', '1', '-timeout', `${o.timeoutS}s`, '-timeout_error');
  a.push('-t', o.transport ?? 'u1');
  if (o.service) a.push('-s', o.service);
  if (o.rate !== undefined) a.push('-r', String(o.rate));
  if (o.limit !== undefined) a.push('-l', String(o.limit));
  if (o.pauseMs !== undefined) a.push('-d', String(o.pauseMs));
  if (o.extraArgs) a.push(...o.extraArgs);
  if (o.remote) a.push(o.remote);
  return a;
}

/** Reads the last line of SIPp's statistics CSV: cumulative successful, failed and created calls. */
export function readSippStats(file: string): { successful: number; failed: number; created: number } {
  if (!existsSync(file)) return { successful: 0, failed: 0, created: 0 };
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = (lines[0] ?? '').split(';');
  const last = (lines[lines.length - 1] ?? '').split(';');
  const col = (name: string): number => Number(last[header.indexOf(name)] ?? 0);
  return { successful: col('SuccessfulCall(C)'), failed: col('FailedCall(C)'), created: col('TotalCallCreated') };
}

/**
 * Starts SIPp; `done` resolves when it exits (by itself, at -m calls or at -timeout). `statsFile` is where it writes
 * its statistics (every second with `-fd 1`), to read while it runs.
 */
export function startSipp(o: SippOptions): { done: Promise<SippResult>; stop: () => void; statsFile: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sipp-'));
  const statsFile = path.join(dir, 'stats.csv');
  const child = spawn('sipp', args(o, statsFile), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    // The screen is redrawn constantly: keep the tail only.
    output = (output + d.toString()).slice(-20_000);
  });
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const done = new Promise<SippResult>((resolve) => {
    child.on('exit', (status) => resolve({ status, ...readSippStats(statsFile), output, statsFile }));
  });
  // SIGUSR1 asks SIPp to stop gracefully, dumping its statistics.
  return { done, stop: () => child.kill('SIGUSR1'), statsFile };
}

export function runSipp(o: SippOptions): Promise<SippResult> {
  return startSipp(o).done;
}
