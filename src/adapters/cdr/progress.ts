// A progress line on stderr while a big file is read, only when stderr is a terminal (never in pipes, logs or
// tests): percentage, rows and rate, redrawn at most five times a second, erased at the end.
export class Progress {
  private last = 0;
  private readonly started = Date.now();
  private shown = false;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly enabled = process.stderr.isTTY === true,
  ) {}

  update(bytes: number, rows: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const pct = this.total > 0 ? Math.min(100, (bytes / this.total) * 100) : 0;
    const secs = Math.max(0.001, (now - this.started) / 1000);
    const width = 24;
    const filled = Math.round((pct / 100) * width);
    this.out.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct.toFixed(1)}%  ${rows.toLocaleString('en-US')} rows  ${Math.round(rows / secs).toLocaleString('en-US')} rows/s `,
    );
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.out.write('\r\x1b[2K');
    this.shown = false;
  }
}
