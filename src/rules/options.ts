// Option pieces several rules share: actions, destination classes, extension patterns.
import { z } from 'zod';
import { DESTINATION_CLASSES, type DestinationClass } from '../numbering/index.js';

/** The actions a policy may give a signal (`ban` belongs to the edge guard). */
export const actionOption = z.enum(['allow', 'alert', 'cut', 'reject', 'quarantine']);

export const classOption = z.enum(DESTINATION_CLASSES);

/** Classes that cost real money when abused: what forwards, transfers and hairpins must not reach. */
export const COSTLY_CLASSES: DestinationClass[] = ['international', 'premium', 'shared-cost', 'satellite', 'high-risk'];

/** A limit; `null` turns it off. */
export const limitOption = (def: number | null, what: string) =>
  z.number().int().min(0).nullable().default(def).describe(`${what}; null: no limit`);

/**
 * An extension pattern: an exact extension (`201`), a prefix (`2*`) or an inclusive numeric range (`200-299`).
 */
export const extensionPattern = z
  .string()
  .regex(/^(\*|[^*\s-]+\*?|\d+-\d+)$/, 'is not an extension pattern (201, 2*, 200-299)');

export function matchesExtension(pattern: string, extension: string | undefined): boolean {
  if (extension === undefined) return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return extension.startsWith(pattern.slice(0, -1));
  const range = /^(\d+)-(\d+)$/.exec(pattern);
  if (range && /^\d+$/.test(extension)) {
    const n = Number(extension);
    return n >= Number(range[1]) && n <= Number(range[2]) && extension.length === range[1]!.length;
  }
  return pattern === extension;
}

/** "+33 8 99 …" for messages: the E.164 form when known, else what was dialled. */
export function shown(d: { e164?: string; dialled: string }): string {
  return d.e164 ?? d.dialled;
}
