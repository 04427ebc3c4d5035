// `tollguard start` runs in a process whose V8 helper threads fit the machine. Node gives V8 four helper threads
// whatever the cores; a young-generation collection splits its work over up to five tasks and waits for all of them.
// On a 2-core machine whose other core relays media, runs the PBX or SIPp, a helper preempted in the middle of its
// share stretches a 2 ms pause of the SIP thread to 10–40 ms, and the setup-time tail with it (bench/README.md). The
// pool size is a process option, fixed before the first line of JavaScript runs: the launcher runs the command
// again with it, forwards the stop and reload signals, and exits as the firewall exits.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** V8 helper threads for `cores` cores: those left beside the event loop's own, 1 to Node's default 4. */
export function gcThreadsFor(cores: number): number {
  return Math.min(4, Math.max(1, cores - 1));
}

/**
 * The Node options the firewall runs with on a machine of `cores` cores: the helper threads above, and no memory
 * reducer. After a few seconds without allocating, V8 gives heap back and shrinks the young generation to 1 MB; the
 * next calls then pay with a scavenge every 15–20 ms and mark-compacts until it has grown again. In the bench the
 * setup-time p99 added after an idle spell was 19–173 ms with it and 7–14 ms without (bench/README.md): a firewall
 * idle all night would meet the morning's calls the same way. The heap stays as large as its busiest time needed.
 */
export function firewallNodeOptions(cores: number): string[] {
  return [`--v8-pool-size=${gcThreadsFor(cores)}`, '--no-memory-reducer'];
}

/**
 * Whether this process should run the command itself: Node was given a pool size already (its own option, or
 * NODE_OPTIONS), the user's choice; or a debugger is asked for, which would attach to the launcher.
 */
function runHere(): boolean {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some(
    (a) => a.startsWith('--v8-pool-size') || a.startsWith('--inspect'),
  );
}

/** The command word of `tollguard [--log-level L] COMMAND …`. */
function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--log-level') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** Set in the firewall's environment when a launcher runs it, so that it leaves when its launcher is killed. */
const LAUNCHED = 'TOLLGUARD_LAUNCHED';

/**
 * Runs `tollguard start …` again with `firewallNodeOptions` and returns true (the caller then does
 * nothing more: this process waits for the firewall and exits with its status); false for any other command, when
 * the pool size was given, or under a debugger.
 */
export function relaunch(argv: readonly string[]): boolean {
  if (commandOf(argv.slice(2)) !== 'start' || runHere()) return false;
  const child = spawn(
    process.execPath,
    [...firewallNodeOptions(availableParallelism()), ...process.execArgv, ...argv.slice(1)],
    // A process group of its own: Ctrl-C reaches the launcher alone, which forwards it once (a second one within the
    // grace period means "stop now"). Not on Windows, where it would open a console window. The IPC channel tells
    // the firewall when the launcher is gone.
    {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      detached: process.platform !== 'win32',
      env: { ...process.env, [LAUNCHED]: '1' },
    },
  );
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (err) => {
    console.error(`tollguard: could not run the firewall process: ${err.message}`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
  return true;
}

/**
 * In the firewall run by a launcher: when the launcher dies without a word (SIGKILL, a crash), the firewall goes the
 * same way at once, as a firewall killed directly would; its journal keeps the calls' records for the next start.
 */
export function followLauncher(): void {
  if (!process.env[LAUNCHED] || !process.channel) return;
  process.channel.unref();
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}
