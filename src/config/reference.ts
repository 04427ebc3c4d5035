// Renders the configuration reference (docs/config.md) from the schema itself, so the documentation cannot drift
// from what the program accepts. A test fails when docs/config.md is stale: `tollguard config schema --markdown`.
import { z } from 'zod';
import { configSchema } from './schema.js';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  pattern?: string;
};

export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return [...new Set(alts.map(typeOf))].join(' | ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'values'}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object')
    return `map of ${typeOf(s.additionalProperties)}`;
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function rows(s: JsonSchema, path: string, out: string[]): void {
  if (path) {
    // An object's default is spelled out by its own keys' rows; a map's default has no rows of its own.
    const def = s.default !== undefined && !s.properties ? `\`${JSON.stringify(s.default)}\`` : '';
    out.push(`| \`${path}\` | ${cell(typeOf(s))} | ${cell(def)} | ${cell(s.description ?? '')} |`);
  }
  children(s, path, out);
}

/** The rows below a key: its properties, its list items, its map values, and those of an object alternative. */
function children(s: JsonSchema, path: string, out: string[]): void {
  const props = s.properties;
  if (props) for (const [k, v] of Object.entries(props)) rows(v, path ? `${path}.${k}` : k, out);
  if (s.type === 'array' && s.items?.properties) rows(s.items, `${path}[]`, out);
  // A list of kinds (alert channels): each kind's keys under `path[type=kind]`.
  if (s.type === 'array' && !s.items?.properties) {
    for (const alt of s.items?.anyOf ?? s.items?.oneOf ?? []) {
      const kind = alt.properties?.type?.const;
      if (alt.properties && kind !== undefined) rows(alt, `${path}[type=${String(kind)}]`, out);
    }
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object' && s.additionalProperties.properties)
    rows(s.additionalProperties, `${path}.<name>`, out);
  // `false | {options}` (a rule turned off, or its options): the options are documented under the same key.
  for (const alt of s.anyOf ?? s.oneOf ?? []) if (alt.properties) children(alt, path, out);
}

/** The Markdown table of every option: key path, type, default, meaning. */
export function renderConfigReference(): string {
  const out = ['| key | type | default | meaning |', '|---|---|---|---|'];
  rows(configJsonSchema() as JsonSchema, '', out);
  return out.join('\n') + '\n';
}
