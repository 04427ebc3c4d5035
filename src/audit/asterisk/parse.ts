// Reads the text of one Asterisk configuration file into items (sections, key/value lines, #include directives),
// each with its line number. Comment rules are those of Asterisk's main/config.c: `;` starts a comment, `\;` is a
// literal semicolon, `;--` (not followed by a fourth `-`) opens a block comment that `--;` closes, and blocks nest.
// That is why FreePBX's `;-------…;` banner lines are plain comments and not blocks.
import type { ReadNote } from '../types.js';

export type ConfItem =
  | {
      kind: 'section';
      line: number;
      name: string;
      /** `[name](!)`: a template, never used as such. */
      template: boolean;
      /** `[name](+)`: adds to an earlier section of that name. */
      append: boolean;
      /** `[name](tpl1,tpl2)`: templates whose values come first. */
      inherits: string[];
    }
  | { kind: 'entry'; line: number; key: string; op: '=' | '=>' | '+='; value: string }
  | { kind: 'include'; line: number; path: string; optional: boolean }
  | { kind: 'exec'; line: number; command: string };

export interface ParsedConf {
  items: ConfItem[];
  notes: ReadNote[];
  /**
   * Set when the whole file is one absolute path: what a symbolic link becomes when a configuration folder is
   * copied without following links (FreePBX links sip.conf and others to its module folders).
   */
  linkTarget?: string;
}

/** Block comments may nest this deep (MAX_NESTED_COMMENTS in Asterisk). */
const MAX_NESTED_COMMENTS = 128;

interface CommentState {
  depth: number;
  openedAt: number[];
}

/** The part of one line that is not comment, given the block-comment state carried from the lines before. */
export function stripComments(line: string, state: CommentState, lineNo: number): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const idx = line.indexOf(';', pos);
    if (idx < 0) {
      if (state.depth === 0) out += line.slice(pos);
      return out;
    }
    if (idx > 0 && line[idx - 1] === '\\') {
      // Escaped semicolon: a literal `;`, the backslash dropped.
      if (state.depth === 0) out += line.slice(pos, idx - 1) + ';';
      pos = idx + 1;
    } else if (line[idx + 1] === '-' && line[idx + 2] === '-' && line[idx + 3] !== '-') {
      if (state.depth === 0) out += line.slice(pos, idx);
      if (state.depth < MAX_NESTED_COMMENTS) {
        state.depth++;
        state.openedAt.push(lineNo);
      }
      pos = idx + 3;
    } else if (state.depth > 0 && idx >= pos + 2 && line[idx - 1] === '-' && line[idx - 2] === '-') {
      state.depth--;
      state.openedAt.pop();
      pos = idx + 1;
    } else if (state.depth === 0) {
      return out + line.slice(pos, idx);
    } else {
      pos = idx + 1;
    }
  }
}

function unquote(s: string): string {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"') && t.length >= 2) || (t.startsWith('<') && t.endsWith('>'))) {
    return t.slice(1, -1).trim();
  }
  return t;
}

/** Parses one file's text. `file` is only used to name the place in notes. */
export function parseConfText(text: string, file: string): ParsedConf {
  const items: ConfItem[] = [];
  const notes: ReadNote[] = [];
  const state: CommentState = { depth: 0, openedAt: [] };
  const lines = text.split(/\r?\n|\r/);
  const kept: { line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const content = stripComments(lines[i]!, state, i + 1).trim();
    if (content !== '') kept.push({ line: i + 1, text: content });
  }
  if (state.depth > 0) {
    notes.push({
      level: 'warning',
      file,
      line: state.openedAt[0] ?? 1,
      message: 'a block comment opened here (;--) is never closed (--;): the rest of the file is ignored',
    });
  }

  const only = kept.length === 1 ? kept[0]! : undefined;
  if (only && /^\/\S+$/.test(only.text) && !only.text.includes('=')) {
    notes.push({
      level: 'info',
      file,
      line: only.line,
      message: `the file is a link to ${only.text}, which is not in the audited folder`,
    });
    return { items, notes, linkTarget: only.text };
  }

  for (const { line, text: t } of kept) {
    if (t.startsWith('#')) {
      const m = /^#\s*(include|tryinclude|exec|tryexec)\b\s*(.*)$/i.exec(t);
      if (!m) {
        notes.push({ level: 'warning', file, line, message: `unknown directive: ${t}` });
        continue;
      }
      const directive = m[1]!.toLowerCase();
      const arg = unquote(m[2]!);
      if (directive === 'include' || directive === 'tryinclude') {
        if (arg === '') notes.push({ level: 'warning', file, line, message: `#${directive} without a file name` });
        else items.push({ kind: 'include', line, path: arg, optional: directive === 'tryinclude' });
      } else {
        items.push({ kind: 'exec', line, command: arg });
      }
      continue;
    }
    if (t.startsWith('[')) {
      const close = t.indexOf(']');
      if (close < 0) {
        notes.push({ level: 'warning', file, line, message: `section header without ']': ${t}` });
        continue;
      }
      const name = t.slice(1, close).trim();
      let rest = t.slice(close + 1).trim();
      let template = false;
      let append = false;
      const inherits: string[] = [];
      if (rest.startsWith('(')) {
        const end = rest.indexOf(')');
        if (end < 0) {
          notes.push({ level: 'warning', file, line, message: `section options without ')': ${t}` });
          continue;
        }
        for (const opt of rest.slice(1, end).split(',')) {
          const o = opt.trim();
          if (o === '') continue;
          if (o === '!') template = true;
          else if (o === '+') append = true;
          else inherits.push(o);
        }
        rest = rest.slice(end + 1).trim();
      }
      if (rest !== '') notes.push({ level: 'warning', file, line, message: `text after the section header: ${rest}` });
      items.push({ kind: 'section', line, name, template, append, inherits });
      continue;
    }
    const eq = t.indexOf('=');
    if (eq < 0) {
      notes.push({ level: 'warning', file, line, message: `no '=' in the line: ${t}` });
      continue;
    }
    let key = t.slice(0, eq);
    let op: '=' | '=>' | '+=' = '=';
    let valueStart = eq + 1;
    if (key.endsWith('+')) {
      op = '+=';
      key = key.slice(0, -1);
    } else if (t[eq + 1] === '>') {
      op = '=>';
      valueStart++;
    }
    key = key.trim();
    if (key === '') {
      notes.push({ level: 'warning', file, line, message: `a value without a name: ${t}` });
      continue;
    }
    items.push({ kind: 'entry', line, key, op, value: t.slice(valueStart).trim() });
  }
  return { items, notes };
}
