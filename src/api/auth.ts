// Authentication over HTTP: who a request is (a console session cookie, or a bearer token), CSRF protection of
// what a session changes, and the login, logout and "who am I" routes. What an account may do is the routes' access
// level (route.ts); what it may see is its principal's tenants (principal.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Accounts, viewOf } from '../accounts/accounts.js';
import { route, type RouteTable } from './route.js';
import type { Logger } from '../log/logger.js';
import type { Principal } from '../accounts/principal.js';

export const SESSION_COOKIE = 'tg_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The value of one cookie of a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sessionCookie(req: FastifyRequest, value: string, maxAgeSeconds: number): string {
  // Secure when the console is reached over HTTPS (a TLS-terminating proxy sets X-Forwarded-Proto; Fastify reads it
  // only when trustProxy is on).
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/**
 * Resolves every request's principal before its route runs, refuses a cookie-authenticated change without its CSRF
 * token, and declares /api/login, /api/logout and /api/me.
 */
export function registerAuth(
  app: FastifyInstance,
  table: RouteTable,
  accounts: Accounts,
  tenantName: (id: string) => string | undefined,
  logger: Logger,
): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('csrfToken', undefined);
  app.addHook('onRequest', async (req, reply) => {
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      const p = m ? await accounts.tokenPrincipal(m[1]!) : undefined;
      if (!p) return reply.code(401).send({ code: 'TG_ERR_AUTH', message: 'this API token is not valid' });
      req.principal = p;
      return;
    }
    const secret = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (secret === undefined) return;
    const s = await accounts.sessionOf(secret);
    if (!s) return; // an expired session is no session: routes that need one answer 401
    if (!SAFE_METHODS.has(req.method) && req.url !== '/api/login') {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameText(sent, s.session.csrfToken)) {
        return reply
          .code(403)
          .send({ code: 'TG_ERR_CSRF', message: `a change from the console needs the ${CSRF_HEADER} header` });
      }
    }
    req.principal = s.principal;
    req.csrfToken = s.session.csrfToken;
  });

  const tenantsOf = (req: FastifyRequest) =>
    req.principal!.tenantIds().map((id) => ({ id, name: tenantName(id) ?? id }));

  route(app, table, {
    method: 'POST',
    url: '/api/login',
    tag: 'accounts',
    summary: 'Log in to the console: sets the session cookie, answers the CSRF token; 423 once locked',
    access: 'public',
    body: z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) }),
    handler: async ({ body, raw }, reply: FastifyReply) => {
      const r = await accounts.login(body.username, body.password);
      if (!r.ok && r.reason === 'locked') {
        logger.warn({ username: body.username, from: raw.ip, until: r.until }, 'login refused: account locked');
        return reply.code(423).send({
          code: 'TG_ERR_LOCKED',
          message: `too many failed logins: the account is locked until ${new Date(r.until).toISOString()}`,
          until: r.until,
        });
      }
      if (!r.ok) {
        logger.warn({ username: body.username, from: raw.ip }, 'login refused: bad credentials');
        return reply.code(401).send({ code: 'TG_ERR_AUTH', message: 'wrong username or password' });
      }
      logger.info({ username: r.account.username, from: raw.ip }, 'logged in');
      reply.header('set-cookie', sessionCookie(raw, r.secret, accounts.options.sessionHours * 3600));
      return { account: viewOf(r.account), csrfToken: r.session.csrfToken };
    },
  });

  route(app, table, {
    method: 'POST',
    url: '/api/logout',
    tag: 'accounts',
    summary: 'Log out: ends the session',
    access: 'public',
    handler: async ({ raw }, reply) => {
      const secret = cookieValue(raw.headers.cookie, SESSION_COOKIE);
      if (secret !== undefined && raw.principal) await accounts.logout(secret);
      reply.header('set-cookie', sessionCookie(raw, '', 0));
      return { ok: true };
    },
  });

  route(app, table, {
    method: 'GET',
    url: '/api/me',
    tag: 'accounts',
    summary: 'The account logged in, its tenants, and the CSRF token of its session',
    access: 'read',
    handler: async ({ principal, raw }) => {
      const a = await accounts.get(principal!.accountId);
      // The hook read the session already: its CSRF token is on the request.
      return {
        account: a && viewOf(a),
        tenants: tenantsOf(raw),
        ...(raw.csrfToken ? { csrfToken: raw.csrfToken } : {}),
      };
    },
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook when the request carries valid credentials. */
    principal?: Principal;
    /** The CSRF token of the session the request came with (none for a bearer token). */
    csrfToken?: string;
  }
}
