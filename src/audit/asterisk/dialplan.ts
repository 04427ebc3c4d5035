// extensions.conf as a dialplan: contexts with their extensions (patterns, priorities `1`, `n`, `n(label)`,
// `label+N`, `same =>` lines), `include =>` and `switch =>` lines, and [globals]. Patterns match as Asterisk matches
// them (X, Z, N, [classes], `.` one or more, `!` zero or more, `-` ignored) and the best match is chosen as Asterisk
// chooses it: a literal extension before any pattern, then the most specific pattern, then the included contexts in
// order.
import type { ReadNote } from '../types.js';
import { entries, type ConfDoc, type ConfEntry } from './model.js';

export interface DpStep {
  priority: number;
  label?: string;
  /** Application name as written (`Dial`, `GotoIf`, …) and in lower case. */
  app: string;
  appLower: string;
  /** The raw argument text between the parentheses. */
  args: string;
  file: string;
  line: number;
}

export interface DpExtension {
  /** As written: `_X.`, `s`, `1234/5551234`. */
  name: string;
  /** Without the caller-id part. */
  exten: string;
  cid?: string;
  pattern: boolean;
  regex: RegExp;
  steps: DpStep[];
  file: string;
  line: number;
}

export interface DpInclude {
  context: string;
  /** Time condition (`08:00-17:00,mon-fri,*,*`), when the include only holds at some times. */
  timing?: string;
  file: string;
  line: number;
}

export interface DpContext {
  name: string;
  file: string;
  line: number;
  extensions: DpExtension[];
  includes: DpInclude[];
  switches: { value: string; file: string; line: number }[];
}

export interface Dialplan {
  contexts: Map<string, DpContext>;
  globals: Map<string, ConfEntry>;
  notes: ReadNote[];
}

/** Sections of extensions.conf that are not contexts. */
const NOT_CONTEXTS = new Set(['general', 'globals']);

/** Splits at `sep` outside parentheses, brackets, braces and double quotes. */
export function splitArgs(s: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '(' || c === '[' || c === '{')) depth++;
    else if (!quoted && (c === ')' || c === ']' || c === '}')) depth = Math.max(0, depth - 1);
    if (c === sep && depth === 0 && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((a) => a.trim());
}

/** Splits `App(args)` (or the old `App,args`) into name and argument text. */
export function parseApp(text: string): { app: string; args: string } {
  const t = text.trim();
  const paren = t.indexOf('(');
  const comma = t.indexOf(',');
  if (paren > 0 && (comma < 0 || paren < comma)) {
    const app = t.slice(0, paren).trim();
    const end = t.lastIndexOf(')');
    return { app, args: end > paren ? t.slice(paren + 1, end) : t.slice(paren + 1) };
  }
  if (comma > 0) return { app: t.slice(0, comma).trim(), args: t.slice(comma + 1) };
  return { app: t, args: '' };
}

/** The first field of an `exten =>` value: commas inside `[...]` belong to the pattern. */
function splitFirst(value: string): [string, string] {
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) return [value.slice(0, i).trim(), value.slice(i + 1)];
  }
  return [value.trim(), ''];
}

/** A regular expression matching what the extension matches (dashes outside classes are ignored, as in Asterisk). */
export function extensionRegExp(exten: string): RegExp {
  if (!exten.startsWith('_')) {
    return new RegExp('^' + exten.replace(/-/g, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$');
  }
  let re = '';
  const p = exten.slice(1);
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const u = c.toUpperCase();
    if (u === 'X') re += '[0-9]';
    else if (u === 'Z') re += '[1-9]';
    else if (u === 'N') re += '[2-9]';
    else if (c === '.') re += '.+';
    else if (c === '!') re += '.*';
    else if (c === '-') continue;
    else if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      const body = p
        .slice(i + 1, end)
        .replace(/\\/g, '\\\\')
        .replace(/\^/g, '\\^');
      re += '[' + body + ']';
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

/** Size of each character class of a pattern, in order (Asterisk's ext_cmp sorts on these: smaller is better). */
function patternShape(exten: string): number[] {
  const p = exten.slice(1);
  const shape: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const u = c.toUpperCase();
    if (u === 'X') shape.push(10);
    else if (u === 'Z') shape.push(9);
    else if (u === 'N') shape.push(8);
    else if (c === '.') shape.push(1000);
    else if (c === '!') shape.push(1001);
    else if (c === '-') continue;
    else if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end < 0) {
        shape.push(1);
        continue;
      }
      const body = p.slice(i + 1, end);
      let n = 0;
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          n += Math.abs(body.charCodeAt(j + 2) - body.charCodeAt(j)) + 1;
          j += 2;
        } else n++;
      }
      shape.push(n);
      i = end;
    } else shape.push(1);
  }
  return shape;
}

/** Negative when `a` is the better match for the same dialled string (Asterisk's order). */
export function compareExtensions(a: DpExtension, b: DpExtension): number {
  if (a.pattern !== b.pattern) return a.pattern ? 1 : -1;
  if (!a.pattern) return 0;
  const sa = patternShape(a.exten);
  const sb = patternShape(b.exten);
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const x = sa[i] ?? 0;
    const y = sb[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}

interface PriorityParse {
  kind: 'hint' | 'step' | 'bad';
  priority?: number;
  label?: string;
}

function parsePriority(raw: string, last: number, labels: Map<string, number>): PriorityParse {
  const t = raw.trim();
  if (t.toLowerCase() === 'hint') return { kind: 'hint' };
  const m = /^([^()]+?)\s*(?:\(([^)]*)\))?$/.exec(t);
  if (!m) return { kind: 'bad' };
  const base = m[1]!.trim();
  const label = m[2]?.trim() || undefined;
  let priority: number | undefined;
  if (/^\d+$/.test(base)) priority = Number(base);
  else if (base === 'n') priority = last + 1;
  else {
    const rel = /^([\w-]+)\s*([+-])\s*(\d+)$/.exec(base);
    if (rel) {
      const from = rel[1] === 'n' ? last : /^\d+$/.test(rel[1]!) ? Number(rel[1]) : labels.get(rel[1]!);
      if (from !== undefined) priority = rel[2] === '+' ? from + Number(rel[3]) : from - Number(rel[3]);
    }
  }
  if (priority === undefined) return { kind: 'bad' };
  const out: PriorityParse = { kind: 'step', priority };
  if (label) out.label = label;
  return out;
}

/** Builds the dialplan from the `extensions` family. */
export function buildDialplan(ext: ConfDoc): Dialplan {
  const contexts = new Map<string, DpContext>();
  const globals = new Map<string, ConfEntry>();
  const notes: ReadNote[] = [];
  const lastPriority = new Map<DpExtension, number>();
  const labelsOf = new Map<DpExtension, Map<string, number>>();

  for (const section of ext.sections) {
    if (section.template) continue;
    if (section.name === 'globals') {
      for (const e of entries(section)) globals.set(e.key, e);
      continue;
    }
    if (NOT_CONTEXTS.has(section.name)) continue;
    let ctx = contexts.get(section.name);
    if (!ctx) {
      ctx = { name: section.name, file: section.file, line: section.line, extensions: [], includes: [], switches: [] };
      contexts.set(section.name, ctx);
    }
    let current: DpExtension | undefined;
    for (const e of entries(section)) {
      if (e.lkey === 'include') {
        const [name, ...timing] = e.value.split(',');
        const inc: DpInclude = { context: name!.trim(), file: e.file, line: e.line };
        if (timing.length > 0) inc.timing = timing.join(',').trim();
        ctx.includes.push(inc);
        continue;
      }
      if (e.lkey === 'switch' || e.lkey === 'eswitch' || e.lkey === 'lswitch') {
        ctx.switches.push({ value: e.value, file: e.file, line: e.line });
        continue;
      }
      if (e.lkey !== 'exten' && e.lkey !== 'same') continue;
      let rest: string;
      if (e.lkey === 'exten') {
        const [name, after] = splitFirst(e.value);
        const slash = name.indexOf('/');
        const exten = (slash >= 0 ? name.slice(0, slash) : name).trim();
        const cid = slash >= 0 ? name.slice(slash + 1).trim() : undefined;
        current = ctx.extensions.find((x) => x.name === name);
        if (!current) {
          current = {
            name,
            exten,
            pattern: exten.startsWith('_'),
            regex: extensionRegExp(exten),
            steps: [],
            file: e.file,
            line: e.line,
          };
          if (cid !== undefined) current.cid = cid;
          ctx.extensions.push(current);
        }
        rest = after;
      } else {
        if (!current) {
          notes.push({ level: 'warning', file: e.file, line: e.line, message: 'same => without an exten before it' });
          continue;
        }
        rest = e.value;
      }
      const comma = rest.indexOf(',');
      const prioText = comma < 0 ? rest : rest.slice(0, comma);
      const appText = comma < 0 ? '' : rest.slice(comma + 1);
      const labels = labelsOf.get(current) ?? new Map<string, number>();
      labelsOf.set(current, labels);
      const prio = parsePriority(prioText, lastPriority.get(current) ?? 0, labels);
      if (prio.kind === 'hint') continue;
      if (prio.kind === 'bad') {
        notes.push({ level: 'warning', file: e.file, line: e.line, message: `priority not understood: ${prioText}` });
        continue;
      }
      lastPriority.set(current, prio.priority!);
      if (prio.label) labels.set(prio.label, prio.priority!);
      const { app, args } = parseApp(appText);
      const step: DpStep = {
        priority: prio.priority!,
        app,
        appLower: app.toLowerCase(),
        args,
        file: e.file,
        line: e.line,
      };
      if (prio.label) step.label = prio.label;
      current.steps.push(step);
    }
  }
  for (const ctx of contexts.values()) {
    for (const x of ctx.extensions) x.steps.sort((a, b) => a.priority - b.priority);
  }
  return { contexts, globals, notes };
}

/** Extensions of `ctx` alone (not its includes) matching `exten`, best first. */
export function matchInContext(ctx: DpContext, exten: string): DpExtension[] {
  const plain = exten.replace(/-/g, '');
  return ctx.extensions
    .filter((x) => (x.pattern ? x.regex.test(plain) : x.exten.replace(/-/g, '') === plain))
    .sort(compareExtensions);
}

export interface ExtensionMatch {
  extension: DpExtension;
  /** The context that holds it. */
  context: DpContext;
  /** Includes followed to get there, from the context searched. */
  via: DpInclude[];
}

/** The extension Asterisk runs for `exten` dialled in `context`: own extensions first, then includes in order. */
export function findExtension(dp: Dialplan, context: string, exten: string): ExtensionMatch | undefined {
  const seen = new Set<string>();
  const search = (name: string, via: DpInclude[]): ExtensionMatch | undefined => {
    if (seen.has(name)) return undefined;
    seen.add(name);
    const ctx = dp.contexts.get(name);
    if (!ctx) return undefined;
    const own = matchInContext(ctx, exten)[0];
    if (own) return { extension: own, context: ctx, via };
    for (const inc of ctx.includes) {
      const found = search(inc.context, [...via, inc]);
      if (found) return found;
    }
    return undefined;
  };
  return search(context, []);
}

/** Every context reachable from `context` through include lines (itself first). */
export function includedContexts(dp: Dialplan, context: string): DpContext[] {
  const out: DpContext[] = [];
  const seen = new Set<string>();
  const walk = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const ctx = dp.contexts.get(name);
    if (!ctx) return;
    out.push(ctx);
    for (const inc of ctx.includes) walk(inc.context);
  };
  walk(context);
  return out;
}

/** A dialled string that the extension matches (for patterns: one example, digits 5 where free). */
export function sampleFor(x: DpExtension): string {
  if (!x.pattern) return x.exten;
  const p = x.exten.slice(1);
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const u = c.toUpperCase();
    if (u === 'X' || u === 'Z' || u === 'N') out += '5';
    else if (c === '.') out += '5551234';
    else if (c === '!') out += '';
    else if (c === '-') continue;
    else if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end < 0) continue;
      out += p[i + 1] ?? '';
      i = end;
    } else out += c;
  }
  return out;
}
