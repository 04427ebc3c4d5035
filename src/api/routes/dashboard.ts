// The console's dashboard in one request: calls live now, today's calls, refusals, cuts and estimated spend, calls
// and spend per hour over the last days, and the open incidents first, all limited to the caller's tenants. The
// live calls with their numbers for the Live page. Hours older than the last two are kept a few minutes, so a
// console polling every few seconds reads the call log's recent records only.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CallRecord, Store } from '../../store/ports.js';
import type { LiveCall } from '../../adapters/sip-proxy/proxy.js';
import type { Quarantine } from '../../engine/index.js';
import { apiError, route, type RouteTable } from '../route.js';
import { incidentOrder, tenantScope } from './alerts.js';

const HOUR = 3_600_000;
/** Records read from the call log for one dashboard at most; past it the figures say `truncated`. */
export const MAX_SCANNED = 200_000;
/** How long hours older than the last two are reused. */
const OLD_HOURS_TTL = 5 * 60_000;
/** Incidents shown on the dashboard, and live calls on the Live page. */
const DASHBOARD_INCIDENTS = 10;
const MAX_LIVE = 200;

export interface DashboardSources {
  store: Store;
  liveCalls(tenantIds: readonly string[]): LiveCall[];
  quarantines?(tenantIds: readonly string[]): Quarantine[];
}

/** One hour of calls: how many started, how many were refused or cut, what they cost (estimated). */
export interface HourFigures {
  at: number;
  calls: number;
  refused: number;
  cut: number;
  alerted: number;
  spend: number;
}

function emptyHours(start: number, count: number): HourFigures[] {
  return Array.from({ length: count }, (_, i) => ({
    at: start + i * HOUR,
    calls: 0,
    refused: 0,
    cut: 0,
    alerted: 0,
    spend: 0,
  }));
}

/** Adds a record to its hour (records outside `hours` are ignored). */
export function addToHours(hours: HourFigures[], r: CallRecord): void {
  if (hours.length === 0) return;
  const i = Math.floor((r.startedAt - hours[0]!.at) / HOUR);
  const h = hours[i];
  if (!h) return;
  h.calls++;
  if (r.disposition === 'rejected') h.refused++;
  if (r.disposition === 'cut') h.cut++;
  if (r.action === 'alert') h.alerted++;
  if (r.estimatedCost !== undefined && Number.isFinite(r.estimatedCost)) h.spend += r.estimatedCost;
}

/** Reads records of [from, to) page by page into `hours`; returns how many were read and whether the bound hit. */
async function scan(
  store: Store,
  tenantIds: string[],
  from: number,
  to: number,
  hours: HourFigures[],
  budget: number,
  currencies: Set<string>,
): Promise<{ read: number; truncated: boolean }> {
  const page = 10_000;
  let read = 0;
  for (let offset = 0; read < budget; offset += page) {
    const rows = await store.calls.search({ tenantIds, from, to, limit: Math.min(page, budget - read), offset });
    for (const r of rows) {
      addToHours(hours, r);
      if (r.currency) currencies.add(r.currency);
    }
    read += rows.length;
    if (rows.length < page) return { read, truncated: false };
  }
  return { read, truncated: true };
}

interface Cached {
  at: number;
  hours: HourFigures[];
  currencies: string[];
  truncated: boolean;
}

export function registerDashboardRoutes(app: FastifyInstance, table: RouteTable, src: DashboardSources): void {
  const cache = new Map<string, Cached>();

  route(app, table, {
    method: 'GET',
    url: '/api/dashboard',
    summary: 'Live calls, today, calls and spend per hour over the last days, open incidents first',
    tag: 'dashboard',
    access: 'read',
    query: z.strictObject({
      tenant: z.string().optional(),
      days: z.coerce.number().int().min(1).max(31).optional(),
      since: z.coerce
        .number()
        .int()
        .min(0)
        .optional()
        .describe('Start of "today" in ms (the console sends its local midnight); default: midnight UTC'),
    }),
    handler: async ({ query, principal }, reply) => {
      const tenantIds = tenantScope(principal!, query.tenant);
      if (!tenantIds) return apiError(reply, 404, 'TG_ERR_NOT_FOUND', `no tenant ${query.tenant}`);
      const now = Date.now();
      const days = query.days ?? 7;
      const thisHour = Math.floor(now / HOUR) * HOUR;
      const start = thisHour - (days * 24 - 1) * HOUR;
      // The last two hours are read every time; older ones are reused while fresh.
      const cutoff = thisHour - HOUR;
      const key = `${tenantIds.join(',')}|${start}`;
      let old = cache.get(key);
      if (!old || now - old.at > OLD_HOURS_TTL) {
        const hours = emptyHours(start, (cutoff - start) / HOUR);
        const currencies = new Set<string>();
        const r = tenantIds.length
          ? await scan(src.store, tenantIds, start, cutoff, hours, MAX_SCANNED, currencies)
          : { read: 0, truncated: false };
        old = { at: now, hours, currencies: [...currencies], truncated: r.truncated };
        if (cache.size > 50) cache.clear();
        cache.set(key, old);
      }
      const recent = emptyHours(cutoff, 2);
      const currencies = new Set(old.currencies);
      const r = tenantIds.length
        ? await scan(src.store, tenantIds, cutoff, now + 1, recent, MAX_SCANNED, currencies)
        : { read: 0, truncated: false };
      const hours = [...old.hours.map((h) => ({ ...h })), ...recent];
      const since = query.since ?? Math.floor(now / 86_400_000) * 86_400_000;
      const sinceHour = Math.floor(since / HOUR) * HOUR;
      const today = { since, calls: 0, refused: 0, cut: 0, alerted: 0, spend: 0 };
      for (const h of hours) {
        if (h.at < sinceHour) continue;
        today.calls += h.calls;
        today.refused += h.refused;
        today.cut += h.cut;
        today.alerted += h.alerted;
        today.spend += h.spend;
      }
      const open = tenantIds.length ? await src.store.alerts.list({ tenantIds, open: true, limit: 1000 }) : [];
      const latest =
        open.length < DASHBOARD_INCIDENTS && tenantIds.length
          ? await src.store.alerts.list({ tenantIds, open: false, limit: DASHBOARD_INCIDENTS - open.length })
          : [];
      return {
        tenants: tenantIds,
        at: now,
        live: tenantIds.length ? src.liveCalls(tenantIds).length : 0,
        quarantines: tenantIds.length && src.quarantines ? src.quarantines(tenantIds).length : 0,
        openIncidents: open.length,
        today,
        // One currency when every priced call has the same (the usual case); several are summed as they are.
        currencies: [...currencies].sort(),
        hours,
        truncated: old.truncated || r.truncated,
        incidents: [...open.sort(incidentOrder).slice(0, DASHBOARD_INCIDENTS), ...latest],
      };
    },
  });

  route(app, table, {
    method: 'GET',
    url: '/api/dashboard/live',
    summary: 'Calls up now with their numbers and destination, newest first',
    tag: 'dashboard',
    access: 'read',
    query: z.strictObject({ tenant: z.string().optional() }),
    handler: async ({ query, principal }, reply) => {
      const tenantIds = tenantScope(principal!, query.tenant);
      if (!tenantIds) return apiError(reply, 404, 'TG_ERR_NOT_FOUND', `no tenant ${query.tenant}`);
      const live = tenantIds.length ? src.liveCalls(tenantIds) : [];
      const shown = live.sort((a, b) => b.startedAt - a.startedAt).slice(0, MAX_LIVE);
      const calls = await Promise.all(
        shown.map(async (c) => {
          const r = await src.store.calls.get(c.id);
          return {
            ...c,
            ...(r
              ? {
                  caller: r.caller,
                  called: r.called,
                  calledE164: r.calledE164,
                  destinationClass: r.destinationClass,
                  country: r.country,
                }
              : {}),
          };
        }),
      );
      return { calls, total: live.length };
    },
  });
}
