// Prices, to estimate what a call costs while it runs: a tenant's own table (CSV: prefix, per_minute, setup,
// currency) matched by longest E.164 prefix, over a default price per class. Estimates, not a bill: they only need
// to be right enough for spend caps to stop a weekend of pumping.
import { parse } from 'csv-parse/sync';
import type { DestinationClass } from './classes.js';
import type { Destination } from './numbering.js';

export interface Price {
  perMinute: number;
  setup: number;
  currency: string;
  /** Where the price came from: `class:premium` or `tariff:+33899`. */
  source: string;
}

/**
 * Default prices by class, per minute and per call, in the tenant's currency. Deliberately on the high side of
 * what operators charge a small business in Europe: an estimate that errs high stops fraud sooner.
 */
const CLASS_PRICES: Record<DestinationClass, { perMinute: number; setup: number }> = {
  emergency: { perMinute: 0, setup: 0 },
  tollfree: { perMinute: 0, setup: 0 },
  national: { perMinute: 0.02, setup: 0 },
  mobile: { perMinute: 0.05, setup: 0 },
  'shared-cost': { perMinute: 0.15, setup: 0.1 },
  international: { perMinute: 0.3, setup: 0 },
  premium: { perMinute: 1.5, setup: 0.8 },
  'high-risk': { perMinute: 2, setup: 0 },
  satellite: { perMinute: 5, setup: 0 },
  unknown: { perMinute: 0.5, setup: 0 },
};

/** Estimated cost of `ms` of talk at `price` (set-up included): the one formula of a call's cost. */
export function costOfTalk(price: Price, ms: number): number {
  const seconds = Math.max(0, ms / 1000);
  return price.setup + (price.perMinute * seconds) / 60;
}

export class Tariffs {
  private readonly lengths: number[];

  private constructor(
    private readonly byPrefix: Map<string, Price>,
    private readonly byClass: Record<DestinationClass, Price>,
  ) {
    this.lengths = [...new Set([...byPrefix.keys()].map((p) => p.length))].sort((a, b) => b - a);
  }

  /** Prices by class only, in `currency`. */
  static defaults(currency: string): Tariffs {
    const byClass = Object.fromEntries(
      Object.entries(CLASS_PRICES).map(([cls, p]) => [cls, { ...p, currency, source: `class:${cls}` }]),
    ) as Record<DestinationClass, Price>;
    return new Tariffs(new Map(), byClass);
  }

  /**
   * A table read from CSV with a header line naming `prefix`, `per_minute` and optionally `setup` and `currency`
   * (the fallback's currency when absent). Every bad row is reported with its line; nothing is half-loaded.
   */
  static fromCsv(text: string, file: string, fallback: Tariffs): Tariffs {
    let rows: Array<Record<string, string>>;
    try {
      rows = parse(text, {
        columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
        comment: '#',
        relax_column_count: true,
      });
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
    const currency = fallback.byClass.national.currency;
    const errors: string[] = [];
    const byPrefix = new Map<string, Price>();
    rows.forEach((r, i) => {
      const line = i + 2;
      const prefix = (r.prefix ?? '').replace(/^\+/, '');
      const perMinute = Number(r.per_minute);
      const setup = r.setup === undefined || r.setup === '' ? 0 : Number(r.setup);
      const cur = r.currency || currency;
      if (!/^\d{1,15}$/.test(prefix)) errors.push(`line ${line}: prefix "${r.prefix ?? ''}" is not an E.164 prefix`);
      else if (!Number.isFinite(perMinute) || perMinute < 0)
        errors.push(`line ${line}: per_minute "${r.per_minute ?? ''}" is not a price`);
      else if (!Number.isFinite(setup) || setup < 0) errors.push(`line ${line}: setup "${r.setup}" is not a price`);
      else if (cur !== currency) errors.push(`line ${line}: currency ${cur} is not the tenant's (${currency})`);
      else byPrefix.set(prefix, { perMinute, setup, currency, source: `tariff:+${prefix}` });
    });
    if (rows.length > 0 && !('prefix' in rows[0]! && 'per_minute' in rows[0]!)) {
      errors.unshift('the header must name prefix and per_minute (and optionally setup, currency)');
    }
    if (errors.length)
      throw new Error(
        `${file}: ${errors.slice(0, 20).join('; ')}${errors.length > 20 ? ` (+${errors.length - 20} more)` : ''}`,
      );
    return new Tariffs(byPrefix, fallback.byClass);
  }

  /** The price of a call to `d`: its longest tariff prefix, else its class's. Free classes stay free. */
  priceOf(d: Destination | Pick<Destination, 'cls' | 'e164'>): Price {
    if (d.cls === 'emergency' || d.cls === 'tollfree') return this.byClass[d.cls];
    if (d.e164 && this.lengths.length) {
      const digits = d.e164.slice(1);
      for (const len of this.lengths) {
        if (len > digits.length) continue;
        const p = this.byPrefix.get(digits.slice(0, len));
        if (p) return p;
      }
    }
    return this.byClass[d.cls];
  }

  get size(): number {
    return this.byPrefix.size;
  }
}
