// Schema-first routes: each route declares who may call it and the zod schemas of its parameters, query and body;
// `route` validates them (400 with every issue named), checks access (401/403), and records the route for the
// OpenAPI document served at /api/openapi.json. Every API route is declared through it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../accounts/principal.js';

/**
 * Who may call a route:
 * - `public`: anyone, logged in or not (health, login, the OpenAPI document)
 * - `read`: any account (data is still limited to the account's tenants)
 * - `write`: tenant admins and integrators (changes data of the account's tenants)
 * - `integrator`: integrators (firewall-wide things: bans, reload, accounts of several tenants)
 */
export type Access = 'public' | 'read' | 'write' | 'integrator';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A validated request, as a handler sees it. */
export interface RouteRequest<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The caller; absent only on `public` routes called without credentials. */
  principal: Principal | undefined;
  raw: FastifyRequest;
}

export interface RouteSpec<P, Q, B> {
  method: HttpMethod;
  /** Fastify path, `:name` for parameters. */
  url: string;
  /** One line for the OpenAPI document. */
  summary: string;
  /** Group in the OpenAPI document (`calls`, `policy`…). */
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Body that is not JSON (a CSV export, an upload): described, not validated. */
  produces?: string;
  /** A request body that is not JSON (an uploaded archive): its content type, for the document; read by the handler. */
  consumes?: string;
  handler(req: RouteRequest<P, Q, B>, reply: FastifyReply): Promise<unknown>;
}

/** Error body of every API error: a stable code, a message for people, and the issues of a bad request. */
export interface ApiError {
  code: string;
  message: string;
  issues?: Array<{ path: string; message: string }>;
}

export function apiError(reply: FastifyReply, status: number, code: string, message: string, extra: object = {}) {
  return reply.code(status).send({ code, message, ...extra });
}

interface Declared {
  method: HttpMethod;
  url: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  produces?: string;
  consumes?: string;
}

/** The routes declared on an app, for its OpenAPI document. */
export class RouteTable {
  readonly routes: Declared[] = [];
}

const WRITE_ROLES = new Set(['tenant-admin', 'integrator']);

/** Why `principal` may not call a route of `access`, or undefined when it may. */
export function refusal(access: Access, principal: Principal | undefined): (ApiError & { status: number }) | undefined {
  if (access === 'public') return undefined;
  if (!principal) return { status: 401, code: 'TG_ERR_AUTH', message: 'log in, or give an API token' };
  if (access === 'write' && !WRITE_ROLES.has(principal.role)) {
    return { status: 403, code: 'TG_ERR_FORBIDDEN', message: `a ${principal.role} account may not change anything` };
  }
  if (access === 'integrator' && principal.role !== 'integrator') {
    return { status: 403, code: 'TG_ERR_FORBIDDEN', message: 'only an integrator account may do this' };
  }
  return undefined;
}

function issuesOf(where: string, err: z.ZodError) {
  return err.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
}

/** Declares a route on `app` and records it in `table`. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  app: FastifyInstance,
  table: RouteTable,
  spec: RouteSpec<P, Q, B>,
): void {
  table.routes.push(spec as unknown as Declared);
  app.route({
    method: spec.method,
    url: spec.url,
    handler: async (req, reply) => {
      const principal = req.principal;
      const refused = refusal(spec.access, principal);
      if (refused) {
        const { status, ...body } = refused;
        return reply.code(status).send(body);
      }
      const issues: Array<{ path: string; message: string }> = [];
      const parse = <T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T => {
        if (!schema) return value as T;
        const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
        if (!r.success) {
          issues.push(...issuesOf(where, r.error));
          return undefined as T;
        }
        return r.data;
      };
      const params = parse(spec.params, req.params, 'params');
      const query = parse(spec.query, req.query, 'query');
      const body = parse(spec.body, req.body, 'body');
      if (issues.length > 0) {
        return reply.code(400).send({
          code: 'TG_ERR_USAGE',
          message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
          issues,
        });
      }
      return spec.handler({ params, query, body, principal, raw: req }, reply);
    },
  });
}

/** The OpenAPI 3.1 document of the declared routes. */
export function openApiDocument(table: RouteTable, info: { version: string }): object {
  const paths: Record<string, Record<string, object>> = {};
  const json = (s: z.ZodType) => {
    const j = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete j.$schema;
    return j;
  };
  for (const r of table.routes) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: object[] = [];
    for (const [where, schema] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!schema) continue;
      const j = json(schema) as { properties?: Record<string, object>; required?: string[] };
      for (const [name, s] of Object.entries(j.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (j.required ?? []).includes(name),
          schema: s,
        });
      }
    }
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      'x-access': r.access,
      ...(r.access === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(r.body) } } } } : {}),
      ...(r.consumes
        ? {
            requestBody: {
              required: true,
              content: { [r.consumes]: { schema: { type: 'string', format: 'binary' } } },
            },
          }
        : {}),
      responses: {
        '200': {
          description: 'done',
          content: { [r.produces ?? 'application/json']: {} },
        },
        default: {
          description: 'an error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tollguard API', version: info.version },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'tg_session' },
        token: { type: 'http', scheme: 'bearer' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', description: 'stable, e.g. TG_ERR_USAGE, TG_ERR_AUTH, TG_ERR_FORBIDDEN' },
            message: { type: 'string' },
            issues: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
    security: [{ session: [] }, { token: [] }],
  };
}
