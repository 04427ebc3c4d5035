// Counts and spend of a tenant's live outbound calls, kept up to date as calls start, are answered, are cut and end,
// so rules read them in constant time instead of walking every live call at every attempt (a busy site has
// hundreds). Spend is linear in time while the set of calls does not change: Σ setup + Σ perMinute × (t − answered),
// so two sums per scope give the running cost at any moment.
import type { LiveCall } from './attempt.js';
import { TurnoverMap } from '../collections/turnover-map.js';

/**
 * Spend of one scope: Σ setup + (Σ perMinute × (t − origin) − Σ perMinute × (answeredAt − origin)) / 60 000, kept in
 * that form (per-minute prices times milliseconds, divided once) so one call's figure is the very number
 * `runningCost` gives: a cap is crossed at the same millisecond whichever way it is counted.
 */
interface Spend {
  /** Times are counted from here (the first answer in the scope), so the sums stay small and exact. */
  origin: number;
  setup: number;
  perMinute: number;
  /** Σ perMinute × (answeredAt − origin). */
  weighted: number;
  answered: number;
}

const TENANT = '';

export class LiveIndex {
  private total = 0;
  private readonly extensions = new TurnoverMap<string, number>();
  private readonly classes = new TurnoverMap<string, number>();
  private readonly spend = new TurnoverMap<string, Spend>();

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
    return s ? s.setup + (s.perMinute * (time - s.origin) - s.weighted) / 60_000 : 0;
  }

  /** Σ per-minute prices of the answered live outbound calls, of the tenant or one extension: how fast spend grows. */
  liveRate(extension?: string): number {
    return this.spend.get(extension ?? TENANT)?.perMinute ?? 0;
  }

  /** Extensions with an answered live outbound call (their spend grows). */
  spendingExtensions(): IterableIterator<string> {
    const keys = this.spend.keys();
    // The tenant's own key is '': skipped.
    return (function* () {
      for (const k of keys) if (k !== TENANT) yield k;
    })();
  }

  private count(call: LiveCall, by: 1 | -1): void {
    this.total += by;
    const ext = call.attempt.callerExtension;
    if (ext !== undefined) bump(this.extensions, ext, by);
    bump(this.classes, call.attempt.destination.cls, by);
  }

  private spendOf(call: LiveCall, by: 1 | -1): void {
    const at = call.answeredAt!;
    const { perMinute, setup } = call.price;
    for (const key of call.attempt.callerExtension === undefined ? [TENANT] : [TENANT, call.attempt.callerExtension]) {
      let s = this.spend.get(key);
      if (!s) this.spend.set(key, (s = { origin: at, setup: 0, perMinute: 0, weighted: 0, answered: 0 }));
      s.answered += by;
      // No drift: when the last call of a scope ends, its sums start from nothing again.
      if (s.answered === 0) this.spend.delete(key);
      else {
        s.setup += by * setup;
        s.perMinute += by * perMinute;
        s.weighted += by * perMinute * (at - s.origin);
      }
    }
  }
}

function bump(m: TurnoverMap<string, number>, key: string, by: number): void {
  const n = (m.get(key) ?? 0) + by;
  if (n <= 0) m.delete(key);
  else m.set(key, n);
}
