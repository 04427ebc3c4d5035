// A Map for keys that come and go (calls by id, transactions by branch, counters swept when idle), renewed now and
// then. V8 links a Map's old hash table to the table that replaces it when it grows or rehashes after deletes, and
// leaves the old one's entries in place. Once a table has reached the old generation (every full collection puts it
// there) each successor, and every key and value it held, is reachable from the dead one until the next full
// collection: young collections copy and promote them all. In a replay that was a third of everything allocated,
// and the collector's main cost. A fresh Map starts with no such chain.
//
// Renewing by copying the whole map bounded the chain, but the copy was one stall of the event loop: 14 to 34 ms for
// the 48,000 transactions a firewall keeps at 750 calls/s, every 32 s, for each such map. So new keys go to a fresh
// Map (a generation) once the current one has seen as many deletes as the whole holds entries, and an older
// generation is dropped when its last key goes. Keys mostly die young, so the older generations empty by themselves;
// past MAX_GENERATIONS the two oldest, by then mostly empty, are merged.

/** Deletes before the first renewal of a small map. */
const RENEW_AFTER = 256;
/** Generations kept before the two oldest are merged: a key not found is looked up in each. */
const MAX_GENERATIONS = 4;

/**
 * A Map (same iteration order: insertion order, an updated key keeping its place) for keys that come and go.
 * Values must not be `undefined`.
 */
export class TurnoverMap<K, V> implements Iterable<[K, V]> {
  /** Oldest first; the last one takes new keys. Every key of a generation was first set after those of the ones before. */
  private gens: Array<Map<K, V>> = [new Map()];
  private deletes = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    const gens = this.gens;
    for (let i = gens.length - 1; i >= 0; i--) {
      const v = gens[i]!.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  has(key: K): boolean {
    return this.holder(key) !== undefined;
  }

  set(key: K, value: V): this {
    const g = this.holder(key);
    if (g) {
      g.set(key, value); // in place: the key keeps its place in the order
      return this;
    }
    // Renewed on a set, never on a delete: a delete while iterating (a sweep) must act on the map being iterated.
    if (this.deletes >= RENEW_AFTER && this.deletes >= this.count) this.renew();
    this.gens[this.gens.length - 1]!.set(key, value);
    this.count++;
    return this;
  }

  delete(key: K): boolean {
    const gens = this.gens;
    for (let i = gens.length - 1; i >= 0; i--) {
      const g = gens[i]!;
      if (!g.delete(key)) continue;
      this.count--;
      this.deletes++;
      if (g.size === 0 && i < gens.length - 1) gens.splice(i, 1); // an older generation's last key
      return true;
    }
    return false;
  }

  clear(): void {
    this.gens = [new Map()];
    this.deletes = 0;
    this.count = 0;
  }

  forEach(fn: (value: V, key: K) => void): void {
    for (const g of [...this.gens]) g.forEach(fn);
  }

  *keys(): IterableIterator<K> {
    for (const g of [...this.gens]) yield* g.keys();
  }

  *values(): IterableIterator<V> {
    for (const g of [...this.gens]) yield* g.values();
  }

  *entries(): IterableIterator<[K, V]> {
    for (const g of [...this.gens]) yield* g.entries();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** The generation holding `key`, youngest first: most lookups are of recent keys. */
  private holder(key: K): Map<K, V> | undefined {
    const gens = this.gens;
    for (let i = gens.length - 1; i >= 0; i--) if (gens[i]!.has(key)) return gens[i];
    return undefined;
  }

  private renew(): void {
    this.deletes = 0;
    const gens = this.gens;
    if (gens[gens.length - 1]!.size === 0) {
      gens[gens.length - 1] = new Map(); // a young generation that has only seen deletes: start it anew
      return;
    }
    gens.push(new Map());
    if (gens.length > MAX_GENERATIONS) {
      const [a, b] = gens.splice(0, 2) as [Map<K, V>, Map<K, V>];
      const merged = new Map(a);
      b.forEach((v, k) => merged.set(k, v));
      gens.unshift(merged);
    }
  }
}
