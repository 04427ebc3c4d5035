// R-PW-POLICY: the lists of common passwords, brands, first names and common words a password must stay at least
// 2 edits away from. The lists are plain text under data/wordlists/ (one entry a line, `#` comments naming their
// sources); they are read once, on the first check, and indexed by length so that a check compares a password only
// with entries whose length is within the allowed distance.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { boundedDistance, codePoints, fold } from './distance.js';

export interface WordListInfo {
  /** Stable id, also the file name without `.txt`. */
  id: string;
  /** Said in messages: `… from the list of ${title}`. */
  title: string;
}

/** The lists, in the order a match is reported when a password is equally close to entries of several. */
export const WORD_LISTS: readonly WordListInfo[] = Object.freeze([
  { id: 'common-passwords', title: 'common passwords' },
  { id: 'brands', title: 'brands and telephony vendors' },
  { id: 'first-names', title: 'first names' },
  { id: 'words-en', title: 'common English words' },
  { id: 'words-fr', title: 'common French words' },
]);

/** Entries shorter than this are ignored: a 1- or 2-letter word is within one edit of too much. */
export const MIN_ENTRY_LENGTH = 3;

/** The entries of a list file: one a line, blank lines and lines starting with `#` skipped, spaces trimmed. */
export function parseWordList(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line !== '' && !line.startsWith('#')) out.push(line);
  }
  return out;
}

/** An entry close to a candidate: the entry as written in its list, the list, and the distance. */
export interface NearWord {
  word: string;
  list: WordListInfo;
  distance: number;
}

interface Bucket {
  points: Int32Array[];
  words: string[];
  /** Position of the entry's list in the lists the index was built from (lower is reported first). */
  ranks: number[];
}

/** Entries of several lists, folded (lower case, no accents) and bucketed by length in code points. */
export class WordIndex {
  private readonly buckets = new Map<number, Bucket>();
  private readonly lists: WordListInfo[] = [];
  private count = 0;

  /** Builds an index; an entry already present (after folding) keeps the first list it came from. */
  static build(lists: ReadonlyArray<{ list: WordListInfo; entries: readonly string[] }>): WordIndex {
    const index = new WordIndex();
    const seen = new Set<string>();
    for (const { list, entries } of lists) {
      const rank = index.lists.push(list) - 1;
      for (const word of entries) {
        const folded = fold(word);
        const points = codePoints(folded);
        if (points.length < MIN_ENTRY_LENGTH || seen.has(folded)) continue;
        seen.add(folded);
        let bucket = index.buckets.get(points.length);
        if (!bucket) index.buckets.set(points.length, (bucket = { points: [], words: [], ranks: [] }));
        bucket.points.push(points);
        bucket.words.push(word);
        bucket.ranks.push(rank);
        index.count++;
      }
    }
    return index;
  }

  /** Number of distinct entries indexed. */
  get size(): number {
    return this.count;
  }

  /**
   * The entry closest to `candidate` (already folded) if one is at most `maxDistance` edits away: the smallest
   * distance wins, then the earlier list, then the earlier entry. Only buckets whose length differs by at most
   * `maxDistance` are searched, and an exact match ends the search.
   */
  nearest(candidate: string, maxDistance: number): NearWord | undefined {
    const points = codePoints(candidate);
    const len = points.length;
    let best: NearWord | undefined;
    let bestRank = Infinity;
    // The candidate's own length first: only there can the distance be 0, and since a bucket holds its entries in list
    // order, the first exact match found is the one to report.
    const lengths = [len];
    for (let d = 1; d <= maxDistance; d++) lengths.push(len - d, len + d);
    for (const l of lengths) {
      const bucket = this.buckets.get(l);
      if (!bucket) continue;
      const limit = best ? best.distance : maxDistance;
      for (let k = 0; k < bucket.points.length; k++) {
        const d = boundedDistance(points, bucket.points[k]!, limit);
        if (d > limit) continue;
        const rank = bucket.ranks[k]!;
        if (best && (d > best.distance || (d === best.distance && rank >= bestRank))) continue;
        best = { word: bucket.words[k]!, list: this.lists[rank]!, distance: d };
        bestRank = rank;
        if (d === 0) return best;
      }
    }
    return best;
  }
}

/**
 * `data/wordlists` of the installed package: the folder holding package.json above this module, so it is found both
 * from src/credentials (run through tsx) and from dist/src/credentials (compiled).
 */
export function wordListDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return path.join(dir, 'data', 'wordlists');
}

/** Reads every list of WORD_LISTS from `dir` and indexes them. */
export function loadWordIndex(dir = wordListDir()): WordIndex {
  return WordIndex.build(
    WORD_LISTS.map((list) => ({
      list,
      entries: parseWordList(readFileSync(path.join(dir, `${list.id}.txt`), 'utf8')),
    })),
  );
}

let shared: WordIndex | undefined;

/** The index of the shipped lists, read on first use and kept for the life of the process. */
export function defaultWordIndex(): WordIndex {
  shared ??= loadWordIndex();
  return shared;
}
