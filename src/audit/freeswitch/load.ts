// Reads a FreeSWITCH conf/ folder the way switch_xml.c does before parsing: line by line, <X-PRE-PROCESS cmd="set"
// data="name=value"/> sets a variable, $${name} is replaced by its value from then on, and cmd="include" inserts the
// matching files (globs, paths relative to the including file's folder) where it stands. As in FreeSWITCH the
// directives act even inside XML comments. The result is parsed with fast-xml-parser; each element gets the file and
// line it was written on (a marker attribute is added to every start tag before parsing, since the parser gives no
// positions). Without freeswitch.xml (a partial copy), every file no other file includes is read, vars.xml first.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ReadNote } from '../types.js';
import { globFiles } from '../glob.js';

/** One element, with its attributes after $${} expansion and where it was written. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  file: string;
  line: number;
  /** The text of that source line before $${} expansion (to tell `$${default_password}` from a literal). */
  rawLine: string;
}

export interface FsVar {
  name: string;
  value: string;
  file: string;
  line: number;
}

export interface FreeswitchConfig {
  dir: string;
  /** One tree per file read as a root (without freeswitch.xml: per top file). */
  roots: { file: string; node: XmlNode }[];
  /** X-PRE-PROCESS set variables in the order FreeSWITCH sets them; the last value wins. */
  vars: Map<string, FsVar>;
  filesRead: string[];
  notes: ReadNote[];
}

interface SrcLine {
  text: string;
  raw: string;
  file: string;
  line: number;
}

const MARK = 'tg-src';
const MAX_DEPTH = 32;
const DIRECTIVE = /<X-PRE-PROCESS\s+cmd="([^"]*)"\s+data="([^"]*)"\s*\/?>(?:\s*<\/X-PRE-PROCESS>)?/gi;

class Preprocessor {
  readonly vars = new Map<string, FsVar>();
  readonly notes: ReadNote[] = [];
  readonly read = new Set<string>();
  readonly included = new Set<string>();

  constructor(readonly dir: string) {}

  rel(abs: string): string {
    return path.relative(this.dir, abs).split(path.sep).join('/');
  }

  expand(text: string): string {
    return text.replace(/\$\$\{([^}]+)\}/g, (m, name: string) => this.vars.get(name)?.value ?? m);
  }

  run(abs: string, out: SrcLine[], stack: string[]): void {
    const rel = this.rel(abs);
    if (stack.includes(abs) || stack.length > MAX_DEPTH) {
      this.notes.push({
        level: 'warning',
        file: rel,
        line: 0,
        message: 'included from itself or too deep: not read again',
      });
      return;
    }
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (err) {
      this.notes.push({ level: 'error', file: rel, line: 0, message: `cannot read: ${(err as Error).message}` });
      return;
    }
    this.read.add(rel);
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!;
      let last = 0;
      // matchAll works on a copy of the pattern: an include below recurses into run() with the same pattern.
      for (const m of [...raw.matchAll(DIRECTIVE)]) {
        const before = raw.slice(last, m.index);
        if (before.trim() !== '') out.push({ text: this.expand(before), raw, file: rel, line: i + 1 });
        last = m.index + m[0].length;
        this.directive(m[1]!.toLowerCase(), this.expand(m[2]!), abs, rel, i + 1, out, stack);
      }
      const rest = raw.slice(last);
      // An XML declaration is only allowed at the very start: included files may carry one.
      out.push({ text: this.expand(rest).replace(/<\?xml[^>]*\?>/g, ''), raw, file: rel, line: i + 1 });
    }
  }

  private directive(
    cmd: string,
    data: string,
    abs: string,
    rel: string,
    line: number,
    out: SrcLine[],
    stack: string[],
  ) {
    if (cmd === 'set' || cmd === 'stun-set' || cmd === 'env-set' || cmd === 'exec-set') {
      const eq = data.indexOf('=');
      if (eq <= 0) {
        this.notes.push({ level: 'warning', file: rel, line, message: `X-PRE-PROCESS ${cmd} without name=value` });
        return;
      }
      const name = data.slice(0, eq).trim();
      // stun-set, env-set and exec-set get their value when FreeSWITCH starts: unknown to the audit.
      const value = cmd === 'set' ? data.slice(eq + 1) : `‹${cmd} ${data.slice(eq + 1)}›`;
      this.vars.set(name, { name, value, file: rel, line });
    } else if (cmd === 'include') {
      const base = path.isAbsolute(data) ? data : path.join(path.dirname(abs), data);
      const files = globFiles(base);
      if (files.length === 0 && !/[*?[]/.test(data)) {
        this.notes.push({ level: 'warning', file: rel, line, message: `include ${data}: no such file in the folder` });
      }
      for (const f of files) {
        this.included.add(f);
        this.run(f, out, [...stack, abs]);
      }
    } else {
      this.notes.push({ level: 'info', file: rel, line, message: `X-PRE-PROCESS ${cmd} is not followed by the audit` });
    }
  }
}

/** Adds the marker attribute to every start tag of a line (not to </x>, <!--, <?xml). */
function mark(text: string, idx: number): string {
  return text.replace(/<([A-Za-z_][\w:.-]*)(?=[\s/>])/g, `<$1 ${MARK}="${idx}"`);
}

type Ordered = Record<string, unknown>;

function toNodes(items: Ordered[], lines: SrcLine[], fallback: SrcLine): XmlNode[] {
  const out: XmlNode[] = [];
  for (const item of items) {
    const name = Object.keys(item).find((k) => k !== ':@');
    if (!name || name === '#text' || name === '#comment') continue;
    const rawAttrs = (item[':@'] ?? {}) as Record<string, string>;
    const idx = Number(rawAttrs[MARK]);
    const src = lines[idx] ?? fallback;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(rawAttrs)) if (k !== MARK) attrs[k] = String(v);
    const children = Array.isArray(item[name]) ? toNodes(item[name] as Ordered[], lines, src) : [];
    out.push({ name, attrs, children, file: src.file, line: src.line, rawLine: src.raw });
  }
  return out;
}

function topXmlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 4) return;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(d, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p, depth + 1);
      else if (n.endsWith('.xml')) out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}

/** Reads the FreeSWITCH configuration folder `dir` (conf/). */
export function loadFreeswitchDir(dir: string): FreeswitchConfig {
  const abs = path.resolve(dir);
  const pre = new Preprocessor(abs);
  const all = topXmlFiles(abs);
  // Which files others include (found by a dry run over the include directives only).
  const includedBy = new Set<string>();
  for (const f of all) {
    let text = '';
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(DIRECTIVE)) {
      if (m[1]!.toLowerCase() !== 'include') continue;
      const data = m[2]!;
      if (data.includes('$${')) continue;
      for (const g of globFiles(path.isAbsolute(data) ? data : path.join(path.dirname(f), data)))
        if (g !== f) includedBy.add(g);
    }
  }
  const main = path.join(abs, 'freeswitch.xml');
  let roots = all.includes(main) ? [main] : all.filter((f) => !includedBy.has(f));
  const vars = path.join(abs, 'vars.xml');
  if (!all.includes(main) && roots.includes(vars)) roots = [vars, ...roots.filter((f) => f !== vars)];

  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    allowBooleanAttributes: true,
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
    processEntities: true,
  });
  const out: FreeswitchConfig = { dir: abs, roots: [], vars: pre.vars, filesRead: [], notes: pre.notes };
  const readRoot = (f: string): void => {
    const lines: SrcLine[] = [];
    pre.run(f, lines, []);
    const rel = pre.rel(f);
    const text = lines.map((l, i) => mark(l.text, i)).join('\n');
    if (text.trim() === '') return;
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      const src = lines[valid.err.line - 1];
      out.notes.push({
        level: 'error',
        file: src?.file ?? rel,
        line: src?.line ?? 0,
        message: `not well-formed XML: ${valid.err.msg}`,
      });
      return;
    }
    const parsed = parser.parse(text) as Ordered[];
    const fallback: SrcLine = { text: '', raw: '', file: rel, line: 1 };
    const nodes = toNodes(parsed, lines, fallback);
    const node: XmlNode =
      nodes.length === 1
        ? nodes[0]!
        : { name: '#document', attrs: {}, children: nodes, file: rel, line: 1, rawLine: '' };
    out.roots.push({ file: rel, node });
  };
  for (const f of roots) readRoot(f);
  // With freeswitch.xml as the root, files it never includes are not part of the running configuration.
  for (const f of all) {
    const rel = pre.rel(f);
    if (!pre.read.has(rel)) {
      out.notes.push({ level: 'info', file: rel, line: 0, message: 'not included from freeswitch.xml: not read' });
    }
  }
  out.filesRead = [...pre.read].sort();
  return out;
}

/** Every element under `node` (itself included) named `name`, in document order. */
export function findAll(node: XmlNode, name: string, out: XmlNode[] = []): XmlNode[] {
  if (node.name === name) out.push(node);
  for (const c of node.children) findAll(c, name, out);
  return out;
}

/** The value of the `value` attribute as written on its line, before $${} expansion, when the line has one. */
export function rawValue(node: XmlNode, attr = 'value'): string | undefined {
  const all = [...node.rawLine.matchAll(new RegExp(`\\b${attr}="([^"]*)"`, 'g'))];
  return all.length === 1 ? all[0]![1] : undefined;
}
