// File-name patterns in include directives (`#include sip.d/*.conf`, `<X-PRE-PROCESS cmd="include"
// data="default/*.xml"/>`): `*`, `?`, `[...]` and `{a,b}` in any path segment, matched against the folder's real
// listing, sorted as glob(3) sorts. Written here because Node 20 has no stable glob and the audit must not depend on
// the shell.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const MAGIC = /[*?[{]/;

/** Expands `{a,b}` alternatives (nested ones too) into plain patterns. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  let close = -1;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close < 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const parts: string[] = [];
  let start = open + 1;
  for (const c of [...commas, close]) {
    parts.push(pattern.slice(start, c));
    start = c + 1;
  }
  return parts.flatMap((p) => expandBraces(head + p + tail));
}

/** A regular expression for one path segment (no `/`). */
export function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The files matching `pattern` (absolute), sorted. A pattern without magic characters gives itself when the file
 * exists and nothing otherwise.
 */
export function globFiles(pattern: string): string[] {
  const out = new Set<string>();
  for (const p of expandBraces(pattern)) {
    if (!MAGIC.test(p)) {
      if (exists(p) && !isDir(p)) out.add(path.normalize(p));
      continue;
    }
    const parsed = path.parse(path.normalize(p));
    const segments = path.normalize(p).slice(parsed.root.length).split(path.sep);
    let bases = [parsed.root];
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const last = i === segments.length - 1;
      const next: string[] = [];
      for (const base of bases) {
        if (!MAGIC.test(seg)) {
          const candidate = path.join(base, seg);
          if (last ? exists(candidate) && !isDir(candidate) : isDir(candidate)) next.push(candidate);
          continue;
        }
        let names: string[];
        try {
          names = readdirSync(base);
        } catch {
          continue;
        }
        const re = segmentRegExp(seg);
        for (const name of names.sort()) {
          if (name.startsWith('.') && !seg.startsWith('.')) continue;
          if (!re.test(name)) continue;
          const candidate = path.join(base, name);
          if (last ? !isDir(candidate) : isDir(candidate)) next.push(candidate);
        }
      }
      bases = next;
    }
    for (const b of bases) out.add(b);
  }
  return [...out].sort();
}

export function hasMagic(pattern: string): boolean {
  return MAGIC.test(pattern);
}
