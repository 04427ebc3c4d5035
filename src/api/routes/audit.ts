// Audit reports through the API: upload a PBX configuration archive (the body itself, a .tar.gz, .tar or .zip of
// /etc/asterisk or FreeSWITCH's conf/), run the same audit as `tollguard audit`, keep the report, and read the latest
// (JSON, or the customer report in HTML or Markdown) or the list. An integrator uploads each customer's
// configuration and sends each customer its report; the console shows the latest.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { apiError, route, type RouteTable } from '../route.js';
import type { AuditReport, Store } from '../../store/ports.js';
import { auditArchive } from '../../audit/from-archive.js';
import { DEFAULT_UNPACK_LIMITS } from '../../audit/archive.js';
import { renderHtml, renderMarkdown, summarize, type ReportOptions } from '../../audit/report.js';
import type { AuditResult } from '../../audit/types.js';
import { TollguardError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';

/** Largest archive accepted, in bytes. */
export const MAX_AUDIT_UPLOAD = 20 * 1024 * 1024;
/** Audits running at once (each holds its archive in memory and its files on disk for a few seconds). */
export const MAX_AUDITS_AT_ONCE = 2;
/** Reports kept per tenant: older ones are removed as new ones come. */
export const AUDIT_REPORTS_KEPT = 50;

/** Content types an archive may be sent as; all read the same way (the format is told by the first bytes). */
export const ARCHIVE_CONTENT_TYPES = [
  'application/octet-stream',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/x-gtar',
  'application/x-compressed-tar',
  'application/zip',
  'application/x-zip-compressed',
];

/** The report page sets its own policy: its one inline style, and nothing that runs. */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface AuditRouteContext {
  store: Store;
  logger: Logger;
  /** A tenant's name for people: the customer the report is for. */
  tenantName?: (id: string) => string | undefined;
}

const tenantParams = z.strictObject({ id: z.string().min(1) });
const label = z.string().max(200);
const uploadQuery = z.strictObject({
  pbx: z.enum(['asterisk', 'freeswitch']).optional().describe('which PBX; default: told by the files'),
  name: label.optional().describe('the archive’s file name, kept with the report'),
  pbxVersion: z.string().max(50).optional().describe('the PBX version, when the configuration does not say it'),
});
const readQuery = z.strictObject({
  report: z.string().min(1).max(100).optional().describe('a report id; default the latest'),
});
const documentQuery = readQuery.extend({
  customer: label.optional().describe('the customer named in the report; default the tenant’s name'),
  integrator: label.optional(),
  letterhead: z.string().max(1000).optional(),
});

/** A stored report as the API answers it: with its summary (exposure, counts, the three things to do now). */
export function reportJson(r: AuditReport) {
  return { ...r, summary: summarize(r.result as AuditResult) };
}

/**
 * Reads the body stream up to `max` bytes. Past it, stops keeping bytes (the rest is drained, not stored) and says
 * so at once, so the 413 goes out while the client may still be sending.
 */
function readBody(stream: Readable, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > max) {
        stream.off('data', onData);
        stream.off('end', onEnd);
        stream.resume();
        chunks.length = 0;
        resolve('too-large');
        return;
      }
      chunks.push(c);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', reject);
  });
}

function isStream(v: unknown): v is Readable {
  return typeof v === 'object' && v !== null && typeof (v as Readable).on === 'function';
}

export function registerAuditRoutes(app: FastifyInstance, table: RouteTable, ctx: AuditRouteContext): void {
  // The archive is the body itself: read here, as a stream, with the limit enforced while it arrives.
  for (const type of ARCHIVE_CONTENT_TYPES) {
    if (!app.hasContentTypeParser(type)) app.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
  }
  let running = 0;
  const notFound = (reply: FastifyReply, id: string) => apiError(reply, 404, 'TG_ERR_NOT_FOUND', `no tenant ${id}`);
  const noReport = (reply: FastifyReply, id: string, report?: string) =>
    apiError(
      reply,
      404,
      'TG_ERR_NOT_FOUND',
      report ? `no audit report ${report} of tenant ${id}` : `no audit of tenant ${id} yet`,
    );

  route(app, table, {
    method: 'POST',
    url: '/api/tenants/:id/audit',
    tag: 'audit',
    summary:
      'Audit a PBX configuration: the body is a .tar.gz, .tar or .zip of /etc/asterisk or FreeSWITCH conf/ ' +
      `(Content-Type application/octet-stream, at most ${MAX_AUDIT_UPLOAD / 1024 / 1024} MiB); answers the stored report`,
    access: 'write',
    params: tenantParams,
    query: uploadQuery,
    consumes: 'application/octet-stream',
    handler: async ({ params, query, principal, raw }, reply) => {
      if (!principal!.sees(params.id)) return notFound(reply, params.id);
      const body = raw.body;
      if (!isStream(body)) {
        return apiError(
          reply,
          415,
          'TG_ERR_USAGE',
          'send the archive itself as the body, with Content-Type: application/octet-stream',
        );
      }
      const declared = Number(raw.headers['content-length']);
      const tooLarge = () =>
        reply
          .header('connection', 'close')
          .code(413)
          .send({
            code: 'TG_ERR_TOO_LARGE',
            message: `the archive is larger than ${MAX_AUDIT_UPLOAD} bytes`,
          });
      if (declared > MAX_AUDIT_UPLOAD) {
        body.resume();
        return tooLarge();
      }
      if (running >= MAX_AUDITS_AT_ONCE) {
        body.resume();
        return reply
          .header('retry-after', '10')
          .code(429)
          .send({ code: 'TG_ERR_BUSY', message: `${MAX_AUDITS_AT_ONCE} audits are running; try again in a moment` });
      }
      running++;
      try {
        const data = await readBody(body, MAX_AUDIT_UPLOAD);
        if (data === 'too-large') return tooLarge();
        if (data.length === 0) return apiError(reply, 400, 'TG_ERR_ARCHIVE', 'the body is empty: send the archive');
        let audited;
        try {
          audited = await auditArchive(data, {
            ...(query.pbx ? { pbx: query.pbx } : {}),
            ...(query.pbxVersion ? { pbxVersion: query.pbxVersion } : {}),
            limits: DEFAULT_UNPACK_LIMITS,
          });
        } catch (err) {
          if (err instanceof TollguardError) {
            const status = err.code === 'TG_ERR_TOO_LARGE' ? 413 : 400;
            return apiError(reply, status, err.code, err.message);
          }
          throw err;
        }
        const { result, archive } = audited;
        const s = summarize(result);
        const report: AuditReport = {
          id: randomUUID(),
          tenantId: params.id,
          pbx: result.pbx,
          createdAt: Date.now(),
          by: principal!.username,
          source: `${query.name ?? 'upload'}: ${result.dir}`,
          counts: s.counts,
          worst: s.worst,
          result: { ...result, archive },
        };
        await ctx.store.audits.put(report);
        await ctx.store.audits.prune(params.id, AUDIT_REPORTS_KEPT);
        ctx.logger.info(
          { tenant: params.id, by: report.by, pbx: report.pbx, findings: result.findings.length, worst: s.worst },
          'audit report stored',
        );
        return reply.code(201).send({ report: reportJson(report) });
      } finally {
        running--;
      }
    },
  });

  route(app, table, {
    method: 'GET',
    url: '/api/tenants/:id/audit',
    tag: 'audit',
    summary: 'The latest audit report of a tenant (or ?report=ID), with its summary and findings',
    access: 'read',
    params: tenantParams,
    query: readQuery,
    handler: async ({ params, query, principal }, reply) => {
      if (!principal!.sees(params.id)) return notFound(reply, params.id);
      const r = await ctx.store.audits.get(params.id, query.report);
      return r ? { report: reportJson(r) } : noReport(reply, params.id, query.report);
    },
  });

  for (const [ext, type, render] of [
    ['html', 'text/html; charset=utf-8', renderHtml],
    ['md', 'text/markdown; charset=utf-8', renderMarkdown],
  ] as const) {
    route(app, table, {
      method: 'GET',
      url: `/api/tenants/:id/audit.${ext}`,
      tag: 'audit',
      summary: `The customer report of the latest audit (or ?report=ID) in ${ext === 'html' ? 'printable HTML' : 'Markdown'}`,
      access: 'read',
      params: tenantParams,
      query: documentQuery,
      produces: type.split(';')[0]!,
      handler: async ({ params, query, principal }, reply) => {
        if (!principal!.sees(params.id)) return notFound(reply, params.id);
        const r = await ctx.store.audits.get(params.id, query.report);
        if (!r) return noReport(reply, params.id, query.report);
        const opts: ReportOptions = { customer: query.customer ?? ctx.tenantName?.(params.id) ?? params.id };
        if (query.integrator) opts.integrator = query.integrator;
        if (query.letterhead) opts.letterhead = query.letterhead;
        const day = new Date(r.createdAt).toISOString().slice(0, 10);
        const file = `audit-${params.id.replace(/[^A-Za-z0-9._-]/g, '_')}-${day}.${ext}`;
        if (ext === 'html') reply.header('content-security-policy', REPORT_CSP);
        return reply
          .type(type)
          .header('content-disposition', `inline; filename="${file}"`)
          .send(render(r.result as AuditResult, opts));
      },
    });
  }

  route(app, table, {
    method: 'GET',
    url: '/api/tenants/:id/audits',
    tag: 'audit',
    summary: 'A tenant’s audit reports, newest first, without their findings',
    access: 'read',
    params: tenantParams,
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional() }),
    handler: async ({ params, query, principal }, reply) => {
      if (!principal!.sees(params.id)) return notFound(reply, params.id);
      return { reports: await ctx.store.audits.list(params.id, query.limit) };
    },
  });
}
