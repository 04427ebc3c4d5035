// Reads an /etc/asterisk folder into the model: each top-level file that no other file includes starts a family
// (sip.conf → sip), #include and #tryinclude are followed where they stand (globs, paths relative to the folder as
// Asterisk resolves them, /etc/asterisk/… mapped into the audited folder), and sections keep going across includes
// as they do in Asterisk. FreePBX's generated files (sip_additional.conf, extensions_additional.conf, …) are read
// with their family even when the main file they hang from is missing or is only a link, as in copied dumps; their
// lines before any section then belong to [general], where the main file would have included them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ReadNote } from '../types.js';
import { globFiles, hasMagic } from '../glob.js';
import { parseConfText, type ParsedConf } from './parse.js';
import { ConfDoc, entries, type AsteriskConfig, type ConfEntry, type ConfSection } from './model.js';

/** Configuration families the audit knows by name; a file `sip_additional.conf` belongs to `sip`. */
export const KNOWN_FAMILIES = [
  'acl',
  'ari',
  'asterisk',
  'ccss',
  'cdr',
  'cel',
  'chan_dahdi',
  'confbridge',
  'dundi',
  'enum',
  'extensions',
  'features',
  'followme',
  'http',
  'iax',
  'iaxprov',
  'indications',
  'logger',
  'manager',
  'meetme',
  'modules',
  'musiconhold',
  'phpagi',
  'pjsip',
  'pjsip_notify',
  'pjsip_wizard',
  'privacy',
  'queuerules',
  'queues',
  'res_digium_phone',
  'res_fax',
  'res_fax_digium',
  'res_odbc',
  'rtp',
  'sip',
  'sip_notify',
  'udptl',
  'voicemail',
];

/** Names of files that may hold the version of the audited system, one line such as `18.20.2` or `Asterisk 18.20.2`. */
export const VERSION_FILES = ['version', 'VERSION', 'asterisk.version', '.version', 'asterisk-version'];

/** The family of a file read on its own: the longest known family its name starts with, else its own name. */
export function familyOf(fileName: string): string {
  const base = fileName.replace(/\.sample$/, '').replace(/\.conf$/, '');
  let best: string | undefined;
  for (const f of KNOWN_FAMILIES) {
    if (base === f || base.startsWith(f + '_') || base.startsWith(f + '.')) {
      if (!best || f.length > best.length) best = f;
    }
  }
  return best ?? base;
}

/** Reading stops this deep in nested includes (Asterisk has no limit but loops forever; we refuse). */
const MAX_INCLUDE_DEPTH = 32;

class Loader {
  readonly notes: ReadNote[] = [];
  readonly filesRead = new Set<string>();
  private readonly cache = new Map<string, ParsedConf>();

  constructor(readonly dir: string) {}

  rel(abs: string): string {
    return path.relative(this.dir, abs).split(path.sep).join('/');
  }

  /** Parses a file (once), without counting it as read: to find which files include which. */
  peek(abs: string): ParsedConf {
    let parsed = this.cache.get(abs);
    if (!parsed) {
      const rel = this.rel(abs);
      let text: string;
      try {
        text = readFileSync(abs, 'utf8');
      } catch (err) {
        this.notes.push({ level: 'error', file: rel, line: 0, message: `cannot read: ${(err as Error).message}` });
        text = '';
      }
      parsed = parseConfText(text, rel);
      this.cache.set(abs, parsed);
    }
    return parsed;
  }

  /** Parses a file for real: counts it as read and keeps what was noticed in it (once). */
  parse(abs: string): ParsedConf {
    const parsed = this.peek(abs);
    const rel = this.rel(abs);
    if (!this.filesRead.has(rel)) {
      this.filesRead.add(rel);
      this.notes.push(...parsed.notes);
    }
    return parsed;
  }

  /** Files an include names, absolute, without reporting anything (to find which files are included). */
  resolveIncludeQuiet(target: string): string[] {
    const m = /^\/etc\/asterisk\/(.+)$/.exec(target);
    if (target.startsWith('/') && !m) return [];
    return globFiles(path.join(this.dir, m ? m[1]! : target));
  }

  /** Files an include names, absolute; reports what cannot be read. */
  resolveInclude(from: string, line: number, target: string, optional: boolean): string[] {
    let pattern: string;
    if (target.startsWith('/')) {
      const m = /^\/etc\/asterisk\/(.+)$/.exec(target);
      if (!m) {
        this.notes.push({
          level: 'warning',
          file: from,
          line,
          message: `include of ${target}, outside the configuration folder: not read`,
        });
        return [];
      }
      pattern = path.join(this.dir, m[1]!);
    } else {
      pattern = path.join(this.dir, target);
    }
    const files = globFiles(pattern);
    if (files.length === 0) {
      const sample = hasMagic(pattern) ? [] : globFiles(pattern + '.sample');
      if (sample.length > 0) return sample;
      if (!optional || !hasMagic(target)) {
        this.notes.push({
          level: optional ? 'info' : 'warning',
          file: from,
          line,
          message: `${optional ? '#tryinclude' : '#include'} ${target}: no such file in the folder${
            optional ? '' : ' (Asterisk refuses to load a file whose #include is missing)'
          }`,
        });
      }
    }
    return files;
  }
}

interface Stream {
  docFor: ConfDoc;
  current: ConfSection | undefined;
  /** Where lines before any section go (FreePBX pieces read on their own), if anywhere. */
  preSection: (() => ConfSection) | undefined;
}

function emit(
  loader: Loader,
  abs: string,
  stream: Stream,
  stack: string[],
  from?: { file: string; line: number },
): void {
  const rel = loader.rel(abs);
  if (stack.includes(abs)) {
    loader.notes.push({
      level: 'warning',
      file: from?.file ?? rel,
      line: from?.line ?? 0,
      message: `${rel} is included from itself (through its own includes): the loop is cut here`,
    });
    return;
  }
  if (stack.length >= MAX_INCLUDE_DEPTH) {
    loader.notes.push({
      level: 'warning',
      file: from?.file ?? rel,
      line: from?.line ?? 0,
      message: `${rel}: includes nested too deep, not read further`,
    });
    return;
  }
  const parsed = loader.parse(abs);
  const doc = stream.docFor;
  if (!doc.files.includes(rel)) doc.files.push(rel);
  let warnedOutside = false;
  for (const item of parsed.items) {
    switch (item.kind) {
      case 'section': {
        if (item.append) {
          const earlier = [...doc.sections].reverse().find((s) => s.name === item.name);
          if (earlier) {
            stream.current = earlier;
            break;
          }
        }
        const inherited: ConfEntry[] = [];
        for (const tpl of item.inherits) {
          const base = doc.sections.find((s) => s.name === tpl);
          if (!base) {
            loader.notes.push({
              level: 'warning',
              file: rel,
              line: item.line,
              message: `[${item.name}] inherits from [${tpl}], which is not defined before it`,
            });
            continue;
          }
          for (const e of entries(base)) inherited.push({ ...e, from: e.from ?? tpl });
        }
        const section: ConfSection = {
          name: item.name,
          file: rel,
          line: item.line,
          template: item.template,
          inherits: item.inherits,
          inherited,
          own: [],
        };
        doc.sections.push(section);
        stream.current = section;
        break;
      }
      case 'entry': {
        let target = stream.current;
        if (!target && stream.preSection) target = stream.preSection();
        if (!target) {
          if (!warnedOutside) {
            loader.notes.push({
              level: 'warning',
              file: rel,
              line: item.line,
              message: 'values before any [section]: Asterisk refuses them; ignored',
            });
            warnedOutside = true;
          }
          break;
        }
        let value = item.value;
        if (item.op === '+=') {
          // `key += more` appends to the last value of that key in the section (Asterisk 11 and later).
          const lkey = item.key.toLowerCase();
          const prev = [...entries(target)].reverse().find((e) => e.lkey === lkey);
          if (prev) value = prev.value + value;
        }
        target.own.push({
          key: item.key,
          lkey: item.key.toLowerCase(),
          op: item.op,
          value,
          file: rel,
          line: item.line,
        });
        break;
      }
      case 'include': {
        for (const f of loader.resolveInclude(rel, item.line, item.path, item.optional)) {
          emit(loader, f, stream, [...stack, abs], { file: rel, line: item.line });
        }
        break;
      }
      case 'exec':
        loader.notes.push({
          level: 'warning',
          file: rel,
          line: item.line,
          message: `#exec ${item.command}: the audit does not run commands; what it would add is not checked`,
        });
        break;
    }
  }
}

function listTop(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => {
      try {
        return statSync(path.join(dir, n)).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

/** Order in which the pieces of one family are read: the main file, then [general] pieces, then the rest. */
function rootOrder(family: string, name: string): number {
  const base = name.replace(/\.sample$/, '').replace(/\.conf$/, '');
  if (base === family) return 0;
  if (/general/.test(base)) return 1;
  return 2;
}

/** Reads the Asterisk configuration folder `dir`. Throws only when `dir` is not a readable folder. */
export function loadAsteriskDir(dir: string): AsteriskConfig {
  const abs = path.resolve(dir);
  const loader = new Loader(abs);
  const top = listTop(abs);
  const names = new Set(top);

  // A name.conf.sample stands for name.conf when there is no name.conf (the samples folder).
  const confFiles = top.filter(
    (n) => n.endsWith('.conf') || (n.endsWith('.conf.sample') && !names.has(n.slice(0, -'.sample'.length))),
  );

  // Which files are included by others (followed through every level).
  const included = new Set<string>();
  const seen = new Set<string>();
  const walk = (file: string, depth: number): void => {
    if (seen.has(file) || depth > MAX_INCLUDE_DEPTH) return;
    seen.add(file);
    const parsed = loader.peek(file);
    for (const item of parsed.items) {
      if (item.kind !== 'include') continue;
      for (const f of loader.resolveIncludeQuiet(item.path)) {
        if (f !== file) included.add(f);
        walk(f, depth + 1);
      }
    }
  };
  for (const n of confFiles) walk(path.join(abs, n), 0);
  for (const n of top) {
    if (/^extensions\.(ael|lua)(\.sample)?$/.test(n)) {
      loader.notes.push({
        level: 'info',
        file: n,
        line: 0,
        message: 'AEL and Lua dialplans are not read by the audit: only extensions.conf is checked',
      });
    }
  }

  // Roots: files no other file includes, and the main file of every known family (Asterisk's modules load those
  // by name, whatever includes them; this also breaks include loops).
  const isMain = (n: string) => KNOWN_FAMILIES.includes(n.replace(/\.sample$/, '').replace(/\.conf$/, ''));
  const roots = confFiles.filter((n) => !included.has(path.join(abs, n)) || isMain(n));
  const byFamily = new Map<string, string[]>();
  for (const n of roots) {
    const fam = familyOf(n);
    const list = byFamily.get(fam) ?? [];
    list.push(n);
    byFamily.set(fam, list);
  }

  const docs = new Map<string, ConfDoc>();
  for (const [family, files] of [...byFamily].sort((a, b) => a[0].localeCompare(b[0]))) {
    files.sort((a, b) => rootOrder(family, a) - rootOrder(family, b) || a.localeCompare(b));
    const doc = new ConfDoc(family);
    docs.set(family, doc);
    for (const n of files) {
      const isMain = rootOrder(family, n) === 0;
      const stream: Stream = { docFor: doc, current: undefined, preSection: undefined };
      if (!isMain) {
        stream.preSection = () => {
          let g = doc.sections.find((s) => s.name === 'general' && !s.template);
          if (!g) {
            g = { name: 'general', file: n, line: 1, template: false, inherits: [], inherited: [], own: [] };
            doc.sections.push(g);
          }
          loader.notes.push({
            level: 'info',
            file: n,
            line: 1,
            message: `not included from ${family}.conf here: read as part of ${family}'s [general], where FreePBX includes it`,
          });
          stream.preSection = () => g!;
          return g;
        };
      }
      emit(loader, path.join(abs, n), stream, []);
    }
  }

  let versionHint: AsteriskConfig['versionHint'];
  for (const n of VERSION_FILES) {
    if (!names.has(n)) continue;
    const text = readFileSync(path.join(abs, n), 'utf8');
    const m = /(\d+(?:\.\d+)+(?:[-.][\w.]+)?)/.exec(text);
    if (m) {
      versionHint = { value: m[1]!, file: n };
      loader.filesRead.add(n);
      break;
    }
  }

  const cfg: AsteriskConfig = {
    dir: abs,
    docs,
    filesRead: [...loader.filesRead].sort(),
    notes: dedupeNotes(loader.notes),
  };
  if (versionHint) cfg.versionHint = versionHint;
  return cfg;
}

function dedupeNotes(notes: ReadNote[]): ReadNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const k = `${n.level}|${n.file}|${n.line}|${n.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
