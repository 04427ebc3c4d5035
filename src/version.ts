// The package version, read once from package.json (two levels above both src/ and dist/src/).
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found');
    dir = up;
  }
}

/** Root of the installed package: where package.json and data/ are. */
export const packageRoot = path.dirname(findPackageJson());

export const version: string = (JSON.parse(readFileSync(findPackageJson(), 'utf8')) as { version: string }).version;
