// Test helpers for the audit: a throw-away configuration folder written from a map of file names to text, and the
// paths of the shared and local fixtures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixturePath, repoRoot } from '../../helpers/fixtures.js';

export function withConfDir<T>(files: Record<string, string>, fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-audit-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const ASTERISK_FIXTURES = {
  samples: fixturePath('asterisk', 'samples'),
  basicPbx: fixturePath('asterisk', 'basic-pbx'),
  freepbx: fixturePath('asterisk', 'freepbx_stgnet_dring_test'),
};

export const FREESWITCH_VANILLA = fixturePath('freeswitch', 'conf', 'vanilla');

export function localFixture(name: string): string {
  return path.join(repoRoot, 'test', 'fixtures-local', 'audit', name);
}

/** The day the tests audit for, so that end-of-life results do not change with the calendar. */
export const AS_OF = new Date('2026-11-24T00:00:00Z');
