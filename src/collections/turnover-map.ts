// A Map for keys that come and go (calls by id, transactions by branch, counters swept when idle), renewed now and
// then. V8 links a Map's old hash table to the table that replaces it when it grows or rehashes after deletes, and
// leaves the old one's entries in place. Once a table has reached the old generation (every full collection puts it
// there) each successor, and every key and value it held, is reachable from the dead one until the next full
// collection: young collections copy and promote them all. In a replay that was a third of everything allocated,
// and the collector's main cost. A fresh Map starts with no such chain; copying one now and then (after as many
// deletes as it holds entries, at least RENEW_AFTER) bounds the chain at an amortised O(1) per delete.

/** Deletes before the first renewal of a small map. */
const RENEW_AFTER = 256;

export class TurnoverMap<K, V> implements Iterable<[K, V]> {
  private map = new Map<K, V>();
  private deletes = 0;

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): this {
    // Renewed on a set, never on a delete: a delete while iterating (a sweep) must act on the map being iterated.
    if (this.deletes >= RENEW_AFTER && this.deletes >= this.map.size) {
      this.map = new Map(this.map);
      this.deletes = 0;
    }
    this.map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    if (!this.map.delete(key)) return false;
    this.deletes++;
    return true;
  }

  clear(): void {
    this.map = new Map();
    this.deletes = 0;
  }

  forEach(fn: (value: V, key: K) => void): void {
    this.map.forEach(fn);
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.map.entries();
  }
}
