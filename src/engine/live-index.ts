// Counts and spend of a tenant's live outbound calls, kept up to date as calls start, are answered, are cut and end,
// so rules read them in constant time instead of walking every live call at every attempt (a busy site has
// hundreds). Spend is linear in time while the set of calls does not change: Σ setup + Σ perMinute × (t − answered),
// so two sums per scope give the running cost at any moment.
import type { LiveCall } from './attempt.js';

interface Spend {
  /** Times are counted from here (the first answer in the scope), so the sums stay small and exact. */
  origin: number;
  /** Σ (setup − perMinute × (answeredAt − origin) / 60 000) over answered calls. */
  base: number;
  /** Σ perMinute / 60 000: cost per millisecond of every answered call together. */
  rate: number;
  answered: number;
}

const TENANT = '';

export class LiveIndex {
  private total = 0;
  private readonly extensions = new Map<string, number>();
  private readonly classes = new Map<string, number>();
  private readonly spend = new Map<string, Spend>();

  /** A call let through: counted until it is cut or ends. */
  add(call: LiveCall): void {
    if (call.attempt.direction !== 'outbound') return;
    this.count(call, 1);
  }

  /** The call was cut: it no longer counts as live at once (it still costs until it ends). */
  cut(call: LiveCall): void {
    if (call.attempt.direction !== 'outbound') return;
    this.count(call, -1);
  }

  answer(call: LiveCall): void {
    if (call.attempt.direction !== 'outbound' || call.answeredAt === undefined) return;
    this.spendOf(call, 1);
  }

  /** The call ended: forgotten (call before the call's `cutAt` or `answeredAt` change). */
  remove(call: LiveCall): void {
    if (call.attempt.direction !== 'outbound') return;
    if (call.cutAt === undefined) this.count(call, -1);
    if (call.answeredAt !== undefined) this.spendOf(call, -1);
  }

  /** Live outbound calls not cut: of the tenant, of one extension, to one destination class. */
  liveCount(scope: { extension?: string | undefined; cls?: string } = {}): number {
    if (scope.extension !== undefined) return this.extensions.get(scope.extension) ?? 0;
    if (scope.cls !== undefined) return this.classes.get(scope.cls) ?? 0;
    return this.total;
  }

  /** Estimated cost at `time` of the answered live outbound calls, of the tenant or of one extension. */
  liveSpend(time: number, extension?: string): number {
    const s = this.spend.get(extension ?? TENANT);
    return s ? s.base + s.rate * (time - s.origin) : 0;
  }

  private count(call: LiveCall, by: 1 | -1): void {
    this.total += by;
    const ext = call.attempt.callerExtension;
    if (ext !== undefined) bump(this.extensions, ext, by);
    bump(this.classes, call.attempt.destination.cls, by);
  }

  private spendOf(call: LiveCall, by: 1 | -1): void {
    const at = call.answeredAt!;
    const rate = (by * call.price.perMinute) / 60_000;
    for (const key of call.attempt.callerExtension === undefined ? [TENANT] : [TENANT, call.attempt.callerExtension]) {
      let s = this.spend.get(key);
      if (!s) this.spend.set(key, (s = { origin: at, base: 0, rate: 0, answered: 0 }));
      s.answered += by;
      // No drift: when the last call of a scope ends, its sums start from nothing again.
      if (s.answered === 0) this.spend.delete(key);
      else {
        s.base += by * call.price.setup - rate * (at - s.origin);
        s.rate += rate;
      }
    }
  }
}

function bump(m: Map<string, number>, key: string, by: number): void {
  const n = (m.get(key) ?? 0) + by;
  if (n <= 0) m.delete(key);
  else m.set(key, n);
}
