// bench/proxy-cps: the firewall's call rate against Kamailio's, same SIPp peers, same machine, same run.
//   node --import tsx bench/proxy-cps.ts [--quick]
//   node --import tsx bench/proxy-cps.ts --rate 300 [--seconds 20] [--repeat 3] [--only tollguard,kamailio,direct]
//   node dist/bench/proxy-cps.js --memory [--hold MS]  (the memory per live call alone; calls held 25,000 ms)
//   --peers-cpu LIST runs the SIPp peers under `taskset -c LIST` (e.g. 0), the proxies staying free.
// The second form measures only the setup time at one steady rate, each path in turn, `--repeat` times. Tollguard's
// node takes its options from TG_NODE_OPTIONS (e.g. "--trace-gc", "--cpu-prof --cpu-prof-dir=/tmp/prof", or
// "--import ./dist/bench/tools/loop-probe.js" with LOOP_PROBE_OUT=file for event-loop delay and GC pauses).
// Prints: the highest rate each relays with < 0.1 % failed calls (INVITE/100/180/200/ACK/BYE/200, no pause) for
// 15 s, found by 5 s steps then held; the proxy's CPU time per 1,000 calls at one fixed rate both hold; setup time
// (INVITE → 200) p50/p99 at half of Tollguard's max rate through each proxy and with no proxy at all, and what each
// proxy adds; Tollguard's memory per live call. No assertion: the figures and their ratios are the result. Every
// load step is bounded in calls and seconds.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firewallNodeOptions } from '../src/cli/launch.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = existsSync(path.join(root, 'package.json')) ? root : path.resolve(root, '..');
const scenarios = path.join(repo, 'test', 'e2e', 'scenarios');
const quick = process.argv.includes('--quick');
function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const steadyRate = flag('--rate') === undefined ? undefined : Number(flag('--rate'));
const steadySeconds = Number(flag('--seconds') ?? 20);
const repeat = Math.max(1, Math.min(10, Number(flag('--repeat') ?? 1)));
/** How long the memory step holds its calls up (ms); a short hold measures what ended calls leave behind. */
const holdMs = Math.max(0, Math.min(60_000, Number(flag('--hold') ?? 25_000)));
const only = new Set((flag('--only') ?? 'direct,tollguard,kamailio').split(','));
const work = mkdtempSync(path.join(tmpdir(), 'bench-cps-'));
const STEP_S = quick ? 3 : 5;
/** How long the max rate found by steps must hold (s), and how long the setup time is measured at half of it. */
const HOLD_S = quick ? 5 : 15;
const FIXED_RATE = 1000;

/** bench/tools/heap-probe, next to this file once compiled; absent under tsx (the memory step then reads RSS only). */
const HEAP_PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tools', 'heap-probe.js');
const heapProbeOut = path.join(work, 'heap.json');

/**
 * Kamailio's SIP worker processes (--kamailio-children, default 1). With two, a call's 180 and 200 are relayed by
 * different processes and now and then reach the caller in the other order; UDP allows it, but SIPp's caller then
 * fails the call ("unexpected message while pausing"), about 0.1 % of calls at any rate, which stopped the max-rate
 * search at 500 calls/s on a measurement artifact. One worker is the like of Tollguard's one event loop.
 */
const KAMAILIO_CHILDREN = Math.max(1, Math.min(8, Number(flag('--kamailio-children') ?? 1)));

const TG_PORT = 27060;
const KAM_PORT = 27070;
const PBX_PORT = 27062;
const TRUNK_PORT = 27063;

interface Proxy {
  name: string;
  port: number;
  /** PIDs whose CPU counts (Kamailio forks workers). */
  pids: () => number[];
  stop: () => void;
}

function cpuSeconds(pids: number[]): number {
  const tck = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
      total += (Number(parts[11]) + Number(parts[12])) / tck;
    } catch {
      // exited
    }
  }
  return total;
}

/**
 * Nanoseconds the processes' main threads ran and waited runnable for a CPU (/proc/PID/schedstat: the thread-group
 * leader's). The wait is latency no code of the proxy's removes: a thread woken by a datagram waits for a CPU, on the
 * 2-vCPU development machine 50 to 90 ms a second at 750 calls/s for Tollguard's main thread and Kamailio alike.
 */
function schedNs(pids: number[]): { ran: number; waited: number } {
  let ran = 0;
  let waited = 0;
  for (const pid of pids) {
    try {
      const [r, w] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ');
      ran += Number(r);
      waited += Number(w);
    } catch {
      // exited, or a kernel without schedstat
    }
  }
  return { ran, waited };
}

function rssBytes(pid: number): number {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(s)?.[1] ?? 0) * 1024;
}

function childrenOf(pid: number): number[] {
  const r = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

/** Resolves when the process exits; made at spawn so an early exit is not missed. */
function exited(c: ChildProcess): Promise<unknown> {
  return new Promise((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', r)));
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

async function startTollguard(): Promise<Proxy> {
  const cfg = path.join(work, 'tollguard.yaml');
  writeFileSync(
    cfg,
    [
      'log: { level: error }',
      `store: { url: "sqlite:${path.join(work, 'tg.db')}" }`,
      'api: { listen: "127.0.0.1:0" }',
      `sip: { listen: ["udp://127.0.0.1:${TG_PORT}"], stopGraceSeconds: 1 }`,
      'tenants:',
      '  - id: bench',
      `    pbx: { addresses: ["127.0.0.2:${PBX_PORT}"] }`,
      `    trunk: { address: "127.0.0.3:${TRUNK_PORT}" }`,
      // Every rule on, with limits sized for a load test from one extension: the engine decides every call.
      '    policy:',
      '      country: FR',
      '      rules:',
      "        business-hours: { schedule: { mon: ['00:00-24:00'], tue: ['00:00-24:00'], wed: ['00:00-24:00'], thu: ['00:00-24:00'], fri: ['00:00-24:00'], sat: ['00:00-24:00'], sun: ['00:00-24:00'] }, publicHolidays: false }",
      '        concurrency: { open: { tenant: null, extension: null }, closed: { tenant: null, extension: null } }',
      '        velocity: { extension: { perMinute: null, perHour: null }, tenant: { perMinute: null, perHour: null } }',
      '        spend-cap: { caps: [{ scope: tenant, window: day, alertAt: 1000000, limit: 2000000 }] }',
    ].join('\n'),
  );
  const nodeArgs = (process.env.TG_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  // The options `tollguard start` runs the firewall with (src/cli/launch.ts), given here so that the firewall is this
  // process's child: its CPU time and heap are read by pid. TG_NODE_OPTIONS, after them, may override any.
  nodeArgs.unshift(...firewallNodeOptions(availableParallelism()));
  // The heap probe (compiled runs) lets the memory step read the live heap after a full collection.
  const probe = existsSync(HEAP_PROBE) ? ['--expose-gc', '--import', HEAP_PROBE] : [];
  const child = spawn(
    process.execPath,
    [...probe, ...nodeArgs, path.join(repo, 'bin', 'tollguard.js'), 'start', '--config', cfg],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, HEAP_PROBE_OUT: heapProbeOut } },
  );
  // What node itself prints (--trace-gc) is kept in a file of the run's folder, named here.
  const stdout = path.join(work, 'tollguard.out');
  const traced = process.env.TG_NODE_OPTIONS !== undefined && process.env.TG_NODE_OPTIONS.trim() !== '';
  if (traced) console.log(`tollguard's output: ${stdout}`);
  child.stdout!.on('data', (d: Buffer) => traced && appendFileSync(stdout, d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('running') && resolve());
    child.once('exit', (c) => reject(new Error(`tollguard exited ${c}`)));
  });
  return { name: 'tollguard', port: TG_PORT, pids: () => [child.pid!], stop: () => child.kill('SIGTERM') };
}

async function startKamailio(): Promise<Proxy> {
  const child: ChildProcess = spawn(
    'kamailio',
    [
      '-f',
      path.join(repo, 'bench', 'kamailio', 'proxy.cfg'),
      '-A',
      `LISTEN=udp:127.0.0.1:${KAM_PORT}`,
      '-A',
      `TARGET="sip:127.0.0.3:${TRUNK_PORT}"`,
      '-A',
      `CHILDREN=${KAMAILIO_CHILDREN}`,
      '-DD',
      '-E',
      '-m',
      '256',
      '-M',
      '16',
    ],
    { stdio: 'ignore' },
  );
  await sleep(1000);
  return {
    name: 'kamailio',
    port: KAM_PORT,
    pids: () => [child.pid!, ...childrenOf(child.pid!)],
    stop: () => child.kill('SIGTERM'),
  };
}

/**
 * Ends the UAS once the UAC is done: SIGUSR1 asks SIPp to finish, but a UAS still waiting for a call the UAC counted
 * as failed never does (its -timeout does not fire either), so after 3 s it is killed. The figures come from the UAC.
 */
async function stopUas(uas: ChildProcess, done: Promise<unknown>): Promise<void> {
  uas.kill('SIGUSR1');
  const finished = await Promise.race([done.then(() => true), sleep(3000).then(() => false)]);
  if (!finished) {
    uas.kill('SIGKILL');
    await done;
  }
}

/**
 * Resolves once a UDP socket is bound to `port` on 127.0.0.3 (the UAS), read from /proc/net/udp; at most 5 s. A fixed
 * pause was not always enough for SIPp to start, and a proxy that hears ICMP port unreachable for its first INVITEs
 * fails those calls at once (Kamailio answers 408) where one that retransmits after T1 does not: the reference lost a
 * few calls in every step, whatever its rate.
 */
async function listening(port: number): Promise<void> {
  const want = `0300007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (let i = 0; i < 250; i++) {
    const table = readFileSync('/proc/net/udp', 'utf8');
    if (table.includes(` ${want} `)) return;
    await sleep(20);
  }
  throw new Error(`nothing listens on 127.0.0.3:${port} after 5 s (sipp did not start)`);
}

interface RunResult {
  calls: number;
  failed: number;
  successful: number;
  rtts: number[];
  /**
   * How SIPp's caller ended when its statistics count no call at all (it could not start, or hung and was killed
   * before it wrote any past its first line): a failed step that says nothing of the proxy.
   */
  noCallCounted?: string;
}

/**
 * SIPp's socket buffers (its -buff_size; SIPp's own default is 64 KB). A proxy's responses come in bursts after any
 * pause of its event loop, and 64 KB overflowed in SIPp's caller: the datagrams lost came back 500 ms later as
 * retransmissions, and set the setup time's p99.9 for whatever proxy was measured. The system's default maximum here.
 */
const SIPP_BUFFER = Number(process.env.SIPP_BUFF_SIZE ?? 4 << 20);

const PEERS_CPU = flag('--peers-cpu');
/**
 * SIPp, on the CPUs `--peers-cpu` names (taskset's list), or wherever the scheduler puts it; what it says on stderr
 * (why it could not start) goes to `ROLE.stderr` in `cwd`.
 */
function sipp(role: 'uac' | 'uas', args: string[], cwd: string): ChildProcess {
  const [cmd, argv] = PEERS_CPU === undefined ? ['sipp', args] : ['taskset', ['-c', PEERS_CPU, 'sipp', ...args]];
  const stderr = openSync(path.join(cwd, `${role}.stderr`), 'w');
  try {
    return spawn(cmd, argv, { cwd, stdio: ['ignore', 'ignore', stderr] });
  } finally {
    closeSync(stderr);
  }
}

/** The last line SIPp wrote on stderr in `dir`, if any, without its date, time and epoch. */
function lastSippError(dir: string, role: 'uac' | 'uas'): string | undefined {
  const f = path.join(dir, `${role}.stderr`);
  const lines = existsSync(f) ? readFileSync(f, 'utf8').split('\n') : [];
  return lines
    .map((l) => l.replace(/^\S+\s+\S+\s+\d+\.\d+:\s*/, '').trim())
    .filter(Boolean)
    .at(-1);
}

function sippArgs(scenario: string, ip: string, port: number, calls: number, extra: string[]): string[] {
  return [
    '-buff_size',
    String(SIPP_BUFFER),
    '-sf',
    path.join(scenarios, scenario),
    '-i',
    ip,
    '-p',
    String(port),
    '-m',
    String(calls),
    '-nostdin',
    ...extra,
  ];
}

/** One bounded load step: `rate` calls/s for `seconds`, through the proxy at `port` (or straight to the UAS). */
async function load(port: number | undefined, rate: number, seconds: number, withRtt = false): Promise<RunResult> {
  const calls = Math.round(rate * seconds);
  const dir = mkdtempSync(path.join(work, 'run-'));
  const bound = String(seconds * 3 + 20);
  const uas = sipp(
    'uas',
    sippArgs('uas-expect-bye.xml', '127.0.0.3', TRUNK_PORT, calls, [
      '-timeout',
      `${bound}s`,
      '-max_recv_loops',
      '5000',
    ]),
    dir,
  );
  const uasDone = exited(uas);
  await listening(TRUNK_PORT);
  const target = port === undefined ? `127.0.0.3:${TRUNK_PORT}` : `127.0.0.1:${port}`;
  const extra = [
    '-r',
    String(rate),
    '-l',
    String(Math.max(200, rate * 2)),
    '-d',
    '0',
    '-s',
    '0145678901',
    '-timeout',
    `${bound}s`,
  ];
  extra.push('-trace_stat', '-stf', path.join(dir, 'stat.csv'), '-max_recv_loops', '5000', '-max_sched_loops', '5000');
  // SIPp's own response times are whole milliseconds; its message log has microseconds.
  if (withRtt) extra.push('-trace_shortmsg');
  const uac = sipp('uac', [...sippArgs('uac-expect-200.xml', '127.0.0.2', PBX_PORT, calls, extra), target], dir);
  // SIPp's -timeout does not always fire (a UAC at a rate it cannot hold has been seen running for minutes): the
  // step is bounded here too, SIGUSR1 first (SIPp then writes its last statistics), SIGKILL 3 s later.
  const hard = setTimeout(
    () => {
      uac.kill('SIGUSR1');
      setTimeout(() => uac.kill('SIGKILL'), 3000).unref();
    },
    Number(bound) * 1000 + 5000,
  );
  const uacExit = await exited(uac);
  clearTimeout(hard);
  await stopUas(uas, uasDone);
  // A file without a line of figures (SIPp stopped before writing one) reads as no call counted.
  const statFile = path.join(dir, 'stat.csv');
  const stat = existsSync(statFile) ? readFileSync(statFile, 'utf8').trim().split('\n') : [];
  const h = stat.length > 1 ? stat[0]!.split(';') : [];
  const last = stat.length > 1 ? stat[stat.length - 1]!.split(';') : [];
  const col = (n: string): number => (h.includes(n) ? Number(last[h.indexOf(n)]) : 0);
  const rtts: number[] = [];
  if (withRtt) {
    // Setup time as the caller sees it: its first INVITE sent → the 200 received, per Call-ID, in ms.
    const f = readdirSync(dir).find((x) => x.endsWith('_shortmessages.log'));
    const sent = new Map<string, number>();
    for (const line of f ? readFileSync(path.join(dir, f), 'utf8').split('\n') : []) {
      const [, , at, dirn, callId, cseq, first] = line.split('\t');
      if (cseq !== 'CSeq:1 INVITE' || !callId) continue;
      if (dirn === 'S' && first?.startsWith('INVITE ') && !sent.has(callId)) sent.set(callId, Number(at));
      else if (dirn === 'R' && first?.startsWith('SIP/2.0 200') && sent.has(callId)) {
        rtts.push((Number(at) - sent.get(callId)!) * 1000);
        sent.delete(callId);
      }
    }
  }
  return {
    calls,
    successful: col('SuccessfulCall(C)'),
    failed: col('FailedCall(C)') + (calls - col('SuccessfulCall(C)') - col('FailedCall(C)')),
    rtts,
    noCallCounted:
      col('OutgoingCall(C)') === 0
        ? `${uac.signalCode ? `killed by ${uac.signalCode}` : `exited ${String(uacExit)}`}, its last words: ` +
          (lastSippError(dir, 'uac') ?? 'none')
        : undefined,
  };
}

/** ' (SIPp's caller counted no call: how it ended)' when it counted none, else nothing. */
function whyNoneCounted(r: RunResult): string {
  return r.noCallCounted === undefined ? '' : ` (SIPp's caller counted no call: ${r.noCallCounted})`;
}

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/**
 * Waits until the proxy is about idle (at most 20 ms of CPU in 250 ms; /proc counts in 10 ms ticks), at most 15 s:
 * after a step it could not hold it may still be relaying a backlog and retransmissions, which the next caller, on
 * the same port, would start into.
 */
async function settled(p: Proxy): Promise<void> {
  const until = Date.now() + 15_000;
  let before = cpuSeconds(p.pids());
  while (Date.now() < until) {
    await sleep(250);
    const now = cpuSeconds(p.pids());
    if (now - before < 0.025) return;
    before = now;
  }
}

/**
 * One step at `rate` for `seconds`, tried once more if it fails: the SIPp peers on a loaded 2-core machine lose a
 * datagram now and then, whatever the proxy.
 */
async function holds(p: Proxy, rate: number, seconds: number, label: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    await settled(p);
    const r = await load(p.port, rate, seconds);
    const again = attempt > 0 ? ' again' : '';
    process.stdout.write(
      `  ${p.name} @ ${rate}/s${label}${again}: ${r.successful}/${r.calls} ok, ${r.failed} failed` +
        `${whyNoneCounted(r)}\n`,
    );
    if (r.failed / r.calls < 0.001) return true;
  }
  return false;
}

/**
 * The highest rate `p` relays with < 0.1 % failed calls: steps of STEP_S up the list, then the highest that passed is
 * held HOLD_S, stepping down the list until one holds. A short step can pass on a backlog that has not yet overflowed
 * anything: at 1,750/s every path, no proxy included, held 5 s and gave way within 15 s on this machine.
 */
async function maxRate(p: Proxy): Promise<{ stepped: number; held: number }> {
  const rates = quick ? [500, 1000, 2000, 3000] : [500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000, 6000];
  let top = -1;
  for (let i = 0; i < rates.length; i++) {
    if (!(await holds(p, rates[i]!, STEP_S, ''))) break;
    top = i;
  }
  for (let i = top; i >= 0; i--) {
    if (await holds(p, rates[i]!, HOLD_S, `, held ${HOLD_S} s`)) return { stepped: rates[top]!, held: rates[i]! };
  }
  return { stepped: top >= 0 ? rates[top]! : 0, held: 0 };
}

/** What a proxy spent on one load step: CPU s per 1,000 calls, and its main thread(s)' ms ran and waited per second. */
interface Spent {
  cpuPer1000: number;
  ranMsPerS: number;
  waitedMsPerS: number;
}

/** One load step through `proxy` (straight from UAC to UAS without one), and what the proxy spent on it. */
async function measuredLoad(
  proxy: Proxy | undefined,
  rate: number,
  seconds: number,
  withRtt = false,
): Promise<{ r: RunResult; spent?: Spent }> {
  if (!proxy) return { r: await load(undefined, rate, seconds, withRtt) };
  const cpu = cpuSeconds(proxy.pids());
  const sched = schedNs(proxy.pids());
  const t0 = process.hrtime.bigint();
  const r = await load(proxy.port, rate, seconds, withRtt);
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const after = schedNs(proxy.pids());
  return {
    r,
    spent: {
      cpuPer1000: ((cpuSeconds(proxy.pids()) - cpu) / r.calls) * 1000,
      ranMsPerS: (after.ran - sched.ran) / 1e6 / wallS,
      waitedMsPerS: (after.waited - sched.waited) / 1e6 / wallS,
    },
  };
}

async function cpuPer1000(p: Proxy): Promise<number> {
  return (await measuredLoad(p, FIXED_RATE, STEP_S * 2)).spent!.cpuPer1000;
}

interface HeapReading {
  at: number;
  heapUsed: number;
  external: number;
  rss: number;
}

/** The firewall's heap after a full collection, through the heap probe; undefined without it. */
async function heapOf(pid: number): Promise<HeapReading | undefined> {
  if (!existsSync(HEAP_PROBE)) return undefined;
  const asked = Date.now();
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(50);
    try {
      const r = JSON.parse(readFileSync(heapProbeOut, 'utf8')) as HeapReading;
      if (r.at >= asked) return r;
    } catch {
      // not written yet
    }
  }
  return undefined;
}

/**
 * Memory per live call: the heap (and external memory) alive after a full collection with `n` calls up, less the
 * same with none, over `n` — steady from run to run; and RSS growth, which also counts what the collector has not
 * yet given back. Then the same once the calls have ended, while they linger for stragglers (32 s): what an ended
 * call keeps is what young collections copy for every call under load.
 */
async function memoryPerLiveCall(
  p: Proxy,
): Promise<{ heap: number | undefined; rss: number; lingering: number | undefined }> {
  const pid = p.pids()[0]!;
  // The calls of an earlier step linger 32 s for stragglers: the baseline waits until they are gone, else they would
  // leave during the hold and make the figure small (3.1 KB read once against 6.9 KB alone).
  if (!process.argv.includes('--memory')) await sleep(33_000);
  const baseHeap = await heapOf(pid);
  const base = rssBytes(pid);
  const n = quick ? 2000 : 8000;
  const dir = mkdtempSync(path.join(work, 'mem-'));
  const uas = sipp('uas', sippArgs('uas-expect-bye.xml', '127.0.0.3', TRUNK_PORT, n, ['-timeout', '60s']), dir);
  await listening(TRUNK_PORT);
  const uac = sipp(
    'uac',
    [
      ...sippArgs('uac-expect-200.xml', '127.0.0.2', PBX_PORT, n, [
        '-r',
        '800',
        '-l',
        String(n),
        '-d',
        String(holdMs),
        '-s',
        '0145678901',
        '-timeout',
        '60s',
      ]),
      `127.0.0.1:${p.port}`,
    ],
    dir,
  );
  await sleep((n / 800) * 1000 + 3000);
  const held = rssBytes(pid);
  const heldHeap = await heapOf(pid);
  await exited(uac);
  await stopUas(uas, exited(uas));
  // The last calls ended a moment ago and the first ones n/800 s before: all of them still linger.
  const endedHeap = await heapOf(pid);
  const perCall = (r: HeapReading | undefined) =>
    baseHeap && r ? (r.heapUsed + r.external - baseHeap.heapUsed - baseHeap.external) / n : undefined;
  return { heap: perCall(heldHeap), rss: (held - base) / n, lingering: perCall(endedHeap) };
}

/** Setup time only, at one steady rate, each path `repeat` times in turn (so all see the same load over time). */
async function steady(rate: number): Promise<void> {
  const seconds = Math.max(1, Math.min(120, steadySeconds));
  console.log(`bench/proxy-cps: setup time at ${rate}/s, ${seconds} s a run, ${repeat} run(s) each`);
  const tg = only.has('tollguard') ? await startTollguard() : undefined;
  const kam = only.has('kamailio') ? await startKamailio() : undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      tg?.stop();
      kam?.stop();
      process.exit(130);
    });
  }
  const paths: Array<[string, Proxy | undefined]> = [];
  if (only.has('direct')) paths.push(['direct', undefined]);
  if (tg) paths.push(['tollguard', tg]);
  if (kam) paths.push(['kamailio', kam]);
  const results: Record<
    string,
    Array<{
      p50: number;
      p99: number;
      p999: number;
      max: number;
      failed: number;
      cpuPer1000?: number;
      mainThreadRanMsPerS?: number;
      mainThreadWaitedMsPerS?: number;
    }>
  > = {};
  try {
    // A short warm-up through each proxy: the first calls compile the hot paths.
    for (const [, proxy] of paths) if (proxy) await load(proxy.port, rate, 3);
    for (let i = 0; i < repeat; i++) {
      for (const [name, proxy] of paths) {
        // The proxy's CPU time per call: steadier than the tail on a shared machine (it counts only the proxy).
        const { r, spent } = await measuredLoad(proxy, rate, seconds, true);
        const row = {
          p50: pct(r.rtts, 50),
          p99: pct(r.rtts, 99),
          p999: pct(r.rtts, 99.9),
          max: pct(r.rtts, 100),
          failed: r.failed,
          ...(spent
            ? {
                cpuPer1000: spent.cpuPer1000,
                mainThreadRanMsPerS: spent.ranMsPerS,
                mainThreadWaitedMsPerS: spent.waitedMsPerS,
              }
            : {}),
        };
        (results[name] ??= []).push(row);
        const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
        console.log(
          `  ${name.padEnd(10)} run ${i + 1}: p50 ${row.p50.toFixed(2)} p99 ${row.p99.toFixed(2)} ` +
            `p99.9 ${row.p999.toFixed(2)} max ${row.max.toFixed(2)} ms, ${r.rtts.length} calls, ${r.failed} failed` +
            whyNoneCounted(r) +
            (spent
              ? `, CPU ${spent.cpuPer1000.toFixed(3)} s per 1,000 calls, main thread ran ` +
                `${spent.ranMsPerS.toFixed(0)} waited ${spent.waitedMsPerS.toFixed(1)} ms/s`
              : '') +
            ` (load ${load1})`,
        );
        await sleep(500);
      }
    }
  } finally {
    tg?.stop();
    kam?.stop();
  }
  const range = (xs: number[]): string => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
  for (const [name, rows] of Object.entries(results)) {
    const cpu = rows.flatMap((r) => (r.cpuPer1000 === undefined ? [] : [r.cpuPer1000]));
    console.log(
      `${name.padEnd(10)} p50 ${range(rows.map((r) => r.p50))} ms, p99 ${range(rows.map((r) => r.p99))} ms, ` +
        `p99.9 ${range(rows.map((r) => r.p999))} ms` +
        (cpu.length ? `, CPU ${cpu.map((c) => c.toFixed(3)).join(' / ')} s per 1,000 calls` : ''),
    );
  }
  // The tail each proxy adds to the same calls straight from UAC to UAS, run by run (the issue's target is on this).
  const direct = results['direct'];
  if (direct) {
    for (const [name, rows] of Object.entries(results)) {
      if (name === 'direct') continue;
      const added = rows.map((r, i) => r.p99 - (direct[i] ?? direct[0]!).p99);
      console.log(`${name.padEnd(10)} added p99 over no proxy: ${added.map((a) => a.toFixed(2)).join(' / ')} ms`);
    }
  }
  const out = path.join(repo, 'test-artifacts', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'proxy-cps-steady.json'),
    JSON.stringify({ at: new Date().toISOString(), rate, seconds, results }, null, 2) + '\n',
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--memory')) {
    // The memory step alone: calls held up through Tollguard, its heap and RSS per live call.
    const tg = await startTollguard();
    try {
      const mem = await memoryPerLiveCall(tg);
      console.log(
        `heap per live call after a full GC: ${mem.heap?.toFixed(0) ?? 'n/a (run the compiled bench)'} bytes; ` +
          `RSS growth per live call: ${mem.rss.toFixed(0)} bytes; ` +
          `heap per ended call while it lingers: ${mem.lingering?.toFixed(0) ?? 'n/a'} bytes`,
      );
    } finally {
      tg.stop();
    }
    return;
  }
  if (steadyRate !== undefined) {
    if (!(steadyRate > 0 && steadyRate <= 10_000)) throw new Error('--rate takes 1 to 10000 calls/s');
    return steady(steadyRate);
  }
  const which = spawnSync('kamailio', ['-v']);
  if (which.error) throw new Error('kamailio is not installed (apt-get install kamailio)');
  console.log(
    `bench/proxy-cps (${quick ? 'quick' : 'full'}): steps of ${STEP_S} s, the max held ${HOLD_S} s, ` +
      `fixed rate ${FIXED_RATE}/s` +
      (PEERS_CPU === undefined ? '' : `, SIPp on CPU ${PEERS_CPU}`),
  );
  const tg = await startTollguard();
  const kam = await startKamailio();
  // Interrupted (Ctrl-C, a timeout): the proxies it started go with it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      tg.stop();
      kam.stop();
      process.exit(130);
    });
  }
  try {
    console.log('max rate with < 0.1 % failed calls:');
    const tgRates = await maxRate(tg);
    const kamRates = await maxRate(kam);
    const tgMax = tgRates.held;
    const kamMax = kamRates.held;
    const tgCpu = await cpuPer1000(tg);
    const kamCpu = await cpuPer1000(kam);
    const half = Math.max(100, Math.round(tgMax / 2));
    const direct = await load(undefined, half, HOLD_S, true);
    const { r: viaTg, spent: tgSpent } = await measuredLoad(tg, half, HOLD_S, true);
    const { r: viaKam, spent: kamSpent } = await measuredLoad(kam, half, HOLD_S, true);
    const tgAdded = pct(viaTg.rtts, 99) - pct(direct.rtts, 99);
    const kamAdded = pct(viaKam.rtts, 99) - pct(direct.rtts, 99);
    const mem = await memoryPerLiveCall(tg);
    const rows: [string, string, string, string][] = [
      ['figure', 'tollguard', 'kamailio', 'ratio (tg/kam)'],
      [`max calls/s (< 0.1 % failed), held ${HOLD_S} s`, String(tgMax), String(kamMax), (tgMax / kamMax).toFixed(2)],
      [
        `max calls/s in steps of ${STEP_S} s`,
        String(tgRates.stepped),
        String(kamRates.stepped),
        (tgRates.stepped / kamRates.stepped).toFixed(2),
      ],
      [
        `CPU s per 1,000 calls @ ${FIXED_RATE}/s`,
        tgCpu.toFixed(3),
        kamCpu.toFixed(3),
        (kamCpu / tgCpu).toFixed(2) + ' (kam/tg)',
      ],
      [
        `setup p50 ms @ ${half}/s (no proxy: ${pct(direct.rtts, 50).toFixed(2)})`,
        pct(viaTg.rtts, 50).toFixed(2),
        pct(viaKam.rtts, 50).toFixed(2),
        '',
      ],
      [
        `setup p99 ms @ ${half}/s (no proxy: ${pct(direct.rtts, 99).toFixed(2)})`,
        pct(viaTg.rtts, 99).toFixed(2),
        pct(viaKam.rtts, 99).toFixed(2),
        '',
      ],
      ['added setup p99 ms vs no proxy', tgAdded.toFixed(2), kamAdded.toFixed(2), (tgAdded / kamAdded).toFixed(2)],
      [
        `main thread waited runnable, ms/s @ ${half}/s`,
        tgSpent!.waitedMsPerS.toFixed(1),
        kamSpent!.waitedMsPerS.toFixed(1),
        '',
      ],
      ['heap per live call, after a full GC (bytes)', mem.heap?.toFixed(0) ?? 'n/a', '', ''],
      ['RSS growth per live call (bytes)', mem.rss.toFixed(0), '', ''],
      ['heap per ended call while it lingers (bytes)', mem.lingering?.toFixed(0) ?? 'n/a', '', ''],
    ];
    for (const r of rows) console.log(r[0].padEnd(52) + r[1].padStart(12) + r[2].padStart(12) + '  ' + r[3]);
    // Kept for bench/engine, which sets the engine's speed against the firewall's max call rate.
    const out = path.join(repo, 'test-artifacts', 'bench');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, 'proxy-cps.json'),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          quick,
          tollguard: {
            maxCps: tgMax,
            maxCpsStepped: tgRates.stepped,
            addedSetupP99Ms: tgAdded,
            cpuPer1000: tgCpu,
            setupP99Ms: pct(viaTg.rtts, 99),
            heapPerLiveCall: mem.heap,
            rssPerLiveCall: mem.rss,
            heapPerLingeringCall: mem.lingering,
          },
          kamailio: {
            maxCps: kamMax,
            maxCpsStepped: kamRates.stepped,
            cpuPer1000: kamCpu,
            setupP99Ms: pct(viaKam.rtts, 99),
            addedSetupP99Ms: kamAdded,
          },
          direct: { setupP99Ms: pct(direct.rtts, 99) },
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    tg.stop();
    kam.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
