// The process logger: JSON lines by default (for journald, a SIEM, jq), readable lines on a terminal.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** `auto`: pretty when stderr is a terminal, JSON otherwise. */
  format: 'auto' | 'json' | 'pretty';
  /** Where lines go; stderr by default, so stdout stays free for command output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const out = opts.destination ?? process.stderr;
  const usePretty = opts.format === 'pretty' || (opts.format === 'auto' && (out as { isTTY?: boolean }).isTTY === true);
  const base = { level: opts.level, base: { name: 'tollguard' } };
  if (usePretty) {
    // Synchronous pretty stream: no worker thread, nothing lost on a crash.
    return pino(
      base,
      pretty({ destination: out, sync: true, ignore: 'pid,hostname,name', translateTime: 'SYS:HH:MM:ss.l' }),
    );
  }
  const fd = (out as { fd?: number }).fd;
  // A file descriptor gets sonic-boom's buffered writer (flushed at shutdown); any other stream is written as is.
  return fd !== undefined ? pino(base, pino.destination({ dest: fd, sync: false })) : pino(base, out);
}
