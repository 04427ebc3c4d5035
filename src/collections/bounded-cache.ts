// Values kept for keys that recur (a PBX's peers and Dial strings, prepared SQL, counter names): looked up, else
// computed by the caller and set. Bounded the cheap way: a set past `max` keys forgets them all first, so a stream of
// one-off keys costs memory up to the bound and the hot keys come back after one miss each.

export class BoundedCache<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.values.size;
  }

  get(key: K): V | undefined {
    return this.values.get(key);
  }

  /** Keeps `value` for `key`, forgetting every other key first when `max` are kept. */
  set(key: K, value: V): V {
    if (this.values.size >= this.max) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}
