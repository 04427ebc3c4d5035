// Reads the YAML configuration and validates it; every mistake is reported at once, each with its key path and
// its line in the file, so a user fixes them all in one pass.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { TollguardError } from '../errors.js';
import { configSchema, type Config } from './schema.js';

/** One mistake in a configuration file. */
export interface ConfigIssue {
  /** Key path as written in messages: `tenants[0].pbx.addresses[1]`. Empty for the whole file. */
  path: string;
  message: string;
  /** 1-based line in the file, when the mistake can be placed. */
  line?: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

/** Formats an issue the way every command prints it: `tenants[0].id: "Acme" is not a tenant id (line 4)`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line !== undefined ? ` (line ${issue.line})` : '';
  return issue.path ? `${issue.path}: ${issue.message}${where}` : `${issue.message}${where}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Validates an already-parsed object (from flags or the API): issues carry no line. */
export function validateConfig(input: unknown): ConfigResult {
  const result = configSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, issues: result.error.issues.flatMap((i) => toIssues(i, input, undefined, undefined)) };
}

/** Parses and validates YAML text; `name` is used in messages only. */
export function parseConfigText(text: string): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({
        path: '',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
        line: lineCounter.linePos(e.pos[0]).line,
      })),
    };
  }
  const input: unknown = doc.toJS() ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    return {
      ok: false,
      issues: [{ path: '', message: 'the file must hold a mapping of keys (log, store, tenants, …)', line: 1 }],
    };
  }
  const result = configSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  const issues = result.error.issues.flatMap((i) => toIssues(i, input, doc, lineCounter));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ok: false, issues };
}

/** Reads FILE and validates it; throws TG_ERR_CONFIG_READ / TG_ERR_CONFIG_INVALID with every issue in `details`. */
export function loadConfigFile(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TollguardError('TG_ERR_CONFIG_READ', `cannot read ${file}: ${(err as Error).message}`);
  }
  const result = parseConfigText(text);
  if (!result.ok) {
    const lines = result.issues.map(formatIssue).join('\n  ');
    throw new TollguardError(
      'TG_ERR_CONFIG_INVALID',
      `${file} is not a valid configuration:\n  ${lines}`,
      result.issues,
    );
  }
  return result.config;
}

function toIssues(
  issue: z.core.$ZodIssue,
  input: unknown,
  doc: Document | undefined,
  counter: LineCounter | undefined,
): ConfigIssue[] {
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range && counter ? counter.linePos(node.range[0]).line : undefined;
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...path, key]),
      message: 'unknown key',
      line: lineOf(keyNode(doc, path, key)),
    }));
  }
  const value = valueAt(input, path);
  const node = doc ? nearestNode(doc, path) : undefined;
  return [{ path: formatPath(path), message: describe(issue, value), line: lineOf(node) }];
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  const shown = show(value);
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? `is required (${issue.expected})` : `${shown} is not a ${issue.expected}`;
    case 'invalid_value':
      return `${shown} is not one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item(s)`;
      if (issue.origin === 'string') return `${shown} is shorter than ${issue.minimum} character(s)`;
      return `${shown} is below the minimum ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `has more than ${issue.maximum} item(s)`;
      if (issue.origin === 'string') return `${shown} is longer than ${issue.maximum} character(s)`;
      return `${shown} is above the maximum ${issue.maximum}`;
    case 'invalid_format':
    case 'custom':
      return value === undefined ? issue.message : `${shown} ${issue.message}`;
    default:
      return value === undefined ? issue.message : `${shown}: ${issue.message}`;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** The node at `path`, or the deepest existing ancestor (a missing key is reported on its parent's line). */
function nearestNode(doc: Document, path: readonly PropertyKey[]): Node | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (node && typeof node === 'object' && 'range' in node) return node as Node;
  }
  return doc.contents ?? undefined;
}

function keyNode(doc: Document | undefined, path: readonly PropertyKey[], key: string): Node | undefined {
  if (!doc) return undefined;
  const parent = path.length === 0 ? doc.contents : doc.getIn(path as unknown[], true);
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === key) return pair.key;
  }
  return undefined;
}
