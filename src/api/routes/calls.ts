// The call log through the API: search with filters (JSON, or CSV for a spreadsheet or the operator), one record
// with its whole decision. The console reads the same routes.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route, type RouteTable } from '../route.js';
import type { Store } from '../../store/ports.js';
import { callQueryOf, csvHeader, csvRows, pagesOf } from '../../store/call-export.js';

/** Largest CSV export in one request, in records (pages of 10,000 are read one after the other). */
const MAX_EXPORT = 1_000_000;

const text = z.string().optional();
const searchQuery = z.object({
  tenant: text,
  number: text,
  direction: text,
  action: text,
  rule: text,
  disposition: text,
  from: text.describe('ISO 8601 or ms since the epoch'),
  to: text,
  limit: text,
  offset: text,
  format: z.enum(['json', 'csv']).optional(),
});

export function registerCallRoutes(app: FastifyInstance, table: RouteTable, store: Store): void {
  route(app, table, {
    method: 'GET',
    url: '/api/calls',
    tag: 'calls',
    summary: 'Search the call log (newest first); format=csv exports every match',
    access: 'read',
    query: searchQuery,
    handler: async ({ query, principal }, reply) => {
      const r = callQueryOf(query, principal!.tenantIds());
      if ('errors' in r) {
        return reply.code(400).send({
          code: 'TG_ERR_USAGE',
          message: r.errors.join('; '),
          issues: r.errors.map((m) => ({ path: `query.${m.split(':')[0]}`, message: m })),
        });
      }
      if (query.format === 'csv') {
        // Every matching record (from offset), not one page: an export is the whole trace.
        let out = csvHeader();
        for await (const page of pagesOf(store.calls, r.query, r.query.limit ?? MAX_EXPORT)) out += csvRows(page);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="tollguard-calls.csv"')
          .send(out);
      }
      const calls = await store.calls.search(r.query);
      const limit = r.query.limit ?? 100;
      return calls.length === limit ? { calls, nextOffset: (r.query.offset ?? 0) + limit } : { calls };
    },
  });

  route(app, table, {
    method: 'GET',
    url: '/api/calls/:id',
    tag: 'calls',
    summary: 'One call record with its whole decision',
    access: 'read',
    params: z.object({ id: z.string().min(1) }),
    handler: async ({ params, principal }, reply) => {
      const call = await store.calls.get(params.id);
      if (!call || !principal!.sees(call.tenantId)) {
        return reply.code(404).send({ code: 'TG_ERR_NOT_FOUND', message: `no call ${params.id}` });
      }
      return { call };
    },
  });
}
