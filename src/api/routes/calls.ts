// The call log through the API: search with filters (JSON, or CSV for a spreadsheet or the operator), one record
// with its whole decision. The console reads the same routes.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/ports.js';
import { callQueryOf, csvHeader, csvRows, pagesOf, type CallSearchParams } from '../../store/call-export.js';

/** Largest CSV export in one request, in records (pages of 10,000 are read one after the other). */
const MAX_EXPORT = 1_000_000;

export function registerCallRoutes(app: FastifyInstance, store: Store, tenantIds: () => string[]): void {
  app.get<{ Querystring: CallSearchParams & { format?: string } }>('/api/calls', async (req, reply) => {
    const r = callQueryOf(req.query, tenantIds());
    if ('errors' in r) {
      return reply.code(400).send({ code: 'TG_ERR_USAGE', message: r.errors.join('; '), issues: r.errors });
    }
    if (req.query.format === 'csv') {
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
  });

  app.get<{ Params: { id: string } }>('/api/calls/:id', async (req, reply) => {
    const call = await store.calls.get(req.params.id);
    if (!call || !tenantIds().includes(call.tenantId)) {
      return reply.code(404).send({ code: 'TG_ERR_NOT_FOUND', message: `no call ${req.params.id}` });
    }
    return { call };
  });
}
