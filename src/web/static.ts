// The web console's files: plain ES modules and CSS in the repository's `web/` folder, read once at start and served
// from memory with an ETag. Each file is its own route, so no request path ever reaches the file system (no
// traversal to guard against). Every response of the app, API included, gets the security headers: a strict
// Content-Security-Policy (no inline script, nothing from elsewhere, no framing) and nosniff.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What the console's pages may load and do: only from this origin, never framed, no inline script or style. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Largest file served, and most files: the console is small; anything bigger is a mistake in the folder. */
const MAX_FILE_BYTES = 1_000_000;
const MAX_FILES = 500;

export interface StaticFile {
  /** URL path, `/js/app.js`. */
  url: string;
  type: string;
  body: Buffer;
  etag: string;
  /** The body gzipped once at load, when that makes it smaller. */
  gzip?: Buffer;
}

/**
 * The `web/` folder of the installed package: two levels above this module when run from the sources
 * (`src/web/`), three when compiled (`dist/src/web/`). The same holds in an npm install, whose package holds
 * `web/` beside `dist/`.
 */
export function webRoot(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = path.resolve(here, up, 'web');
    if (existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/** Every servable file under `root`, by URL path; dot files and unknown types are left out. */
export function loadStaticFiles(root: string): StaticFile[] {
  const files: StaticFile[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const full = path.join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) {
        walk(full, `${prefix}${name}/`);
        continue;
      }
      const type = TYPES[path.extname(name).toLowerCase()];
      if (!type || !st.isFile()) continue;
      if (st.size > MAX_FILE_BYTES) throw new Error(`web/${prefix}${name} is larger than ${MAX_FILE_BYTES} bytes`);
      if (files.length >= MAX_FILES) throw new Error(`web/ holds more than ${MAX_FILES} files`);
      const body = readFileSync(full);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      const gz = gzipSync(body, { level: 9 });
      files.push({ url: `/${prefix}${name}`, type, body, etag, ...(gz.length < body.length ? { gzip: gz } : {}) });
    }
  };
  walk(root, '');
  return files;
}

/** Adds the security headers to every response of `app`. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    // A route may set its own (the audit report page allows its inline style, and still nothing that runs).
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    return payload;
  });
}

/**
 * Serves the console at `/` (index.html) and each file of `root` at its path, with an ETag and `no-cache` (the
 * browser revalidates, and gets 304 while the file is unchanged: files have no hash in their names, no build step
 * renames them). No folder found: the API runs without a console, and `/` says so.
 */
export function registerStatic(app: FastifyInstance, root: string | undefined = webRoot()): void {
  registerSecurityHeaders(app);
  const files = root ? loadStaticFiles(root) : [];
  const index = files.find((f) => f.url === '/index.html');
  const serve = (f: StaticFile) => async (req: FastifyRequest, reply: FastifyReply) => {
    const gzip = f.gzip !== undefined && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    // One ETag per representation: a cache holding the gzipped body must not get a 304 for the plain one.
    const etag = gzip ? `${f.etag.slice(0, -1)}-gz"` : f.etag;
    reply.header('etag', etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding');
    const match = req.headers['if-none-match'];
    if (typeof match === 'string' && match.split(',').some((m) => m.trim() === etag)) {
      return reply.code(304).send();
    }
    reply.type(f.type);
    if (gzip) return reply.header('content-encoding', 'gzip').send(f.gzip);
    return reply.send(f.body);
  };
  for (const f of files) app.get(f.url, serve(f));
  if (index) app.get('/', serve(index));
  else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('Tollguard API. The console files (web/) are not installed.\n'),
    );
  }
}
