// R-PW-POLICY: "differs by at least 2 characters from any common word, name or brand". This file holds the edit
// distance that measures it: a banded Levenshtein bounded by a maximum (it stops as soon as the maximum is passed),
// where look-alike characters (0 and o, 1 and i or l, @ and a, …) count as the same, and the folding that makes the
// comparison blind to case and accents.

/**
 * Look-alike substitutions undone before measuring: each key may stand for any of its letters. `0` for `o`, `1` for
 * `i` or `l`, `3` for `e`, `4` and `@` for `a`, `5` and `$` for `s`, `7` and `+` for `t`, `8` for `b`, `9` for `g`,
 * `!` for `i`, `|` for `l`.
 */
export const LOOK_ALIKES: Readonly<Record<string, string>> = Object.freeze({
  '0': 'o',
  '1': 'il',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
});

// 128 × 128 table over ASCII, indexed by (password character << 7 | entry character): 1 when the password's character
// is the entry's, or a look-alike that stands for it (password `0` matches entry `o`), or both are look-alikes of the
// same letter (password `4` matches entry `@`). One way only: a letter of the password does not match a digit of an
// entry (`l` does not match `1`), so a word is never found "close" to a number.
const ASCII_MATCH = (() => {
  const table = new Uint8Array(128 * 128);
  const standsFor = (c: number): number[] =>
    [...(LOOK_ALIKES[String.fromCharCode(c)] ?? '')].map((x) => x.charCodeAt(0));
  for (let p = 0; p < 128; p++) {
    const ps = standsFor(p);
    for (let e = 0; e < 128; e++) {
      const es = standsFor(e);
      table[(p << 7) | e] = p === e || ps.includes(e) || ps.some((x) => es.includes(x)) ? 1 : 0;
    }
  }
  return table;
})();

/**
 * True when character `p` of a password matches character `e` of a list entry (code points): equal, or `p` a
 * look-alike standing for `e`, or both look-alikes of the same letter. Not symmetric.
 */
export function charsMatch(p: number, e: number): boolean {
  return p === e || (p < 128 && e < 128 && ASCII_MATCH[(p << 7) | e] === 1);
}

const LIGATURES: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };

/** Lower case without accents, compatibility forms expanded: "Éléphant" → "elephant", "Œuvre" → "oeuvre". */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[œæßøłđı]/g, (c) => LIGATURES[c] ?? c);
}

/** The code points of a string, for the distance below. */
export function codePoints(s: string): Int32Array {
  const out = new Int32Array(s.length);
  let n = 0;
  for (const ch of s) out[n++] = ch.codePointAt(0)!;
  return n === s.length ? out : out.slice(0, n);
}

// Two rows of the band, reused from call to call (grown when a longer string comes).
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Levenshtein distance from `a` (the password) to `b` (a list entry) (insertions, deletions, substitutions each cost 1; look-alikes as
 * `charsMatch` cost 0), or `max + 1` as soon as it is known to exceed `max`. Only the cells within `max` of the
 * diagonal are computed, and the loop stops at the first row whose cells all exceed `max`; cost O(len × (2·max+1)).
 */
export function boundedDistance(a: Int32Array, b: Int32Array, max: number): number {
  const la = a.length;
  const lb = b.length;
  const over = max + 1;
  if (Math.abs(la - lb) > max) return over;
  if (la === 0 || lb === 0) return Math.max(la, lb);
  if (rowA.length < lb + 2) {
    rowA = new Int32Array(lb + 2);
    rowB = new Int32Array(lb + 2);
  }
  let prev = rowA;
  let cur = rowB;
  const first = Math.min(lb, max);
  for (let j = 0; j <= first; j++) prev[j] = j;
  if (first + 1 <= lb) prev[first + 1] = over;
  for (let i = 1; i <= la; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(lb, i + max);
    cur[lo - 1] = lo === 1 ? i : over;
    let rowMin = cur[lo - 1]!;
    const ca = a[i - 1]!;
    for (let j = lo; j <= hi; j++) {
      let v = prev[j - 1]! + (charsMatch(ca, b[j - 1]!) ? 0 : 1);
      const del = prev[j]! + 1;
      if (del < v) v = del;
      const ins = cur[j - 1]! + 1;
      if (ins < v) v = ins;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi + 1 <= lb) cur[hi + 1] = over;
    if (rowMin > max) return over;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[lb]!, over);
}
