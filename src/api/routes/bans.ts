// Bans at the SIP edge: list them (with the locked usernames), add one by hand, lift one (`tollguard bans` calls
// these).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route, type RouteTable } from '../route.js';
import type { Ban } from '../../store/ports.js';

/** What the API may do with bans; the composition root implements it over the edge guard and the store. */
export interface BanControl {
  list(): { bans: Ban[]; locked: Array<{ username: string; until: number }> };
  /** Bans by hand; a message when the address cannot be banned (not an address, or a PBX / trunk address). */
  add(address: string, minutes: number, reason: string, by: string): Promise<Ban | string>;
  lift(address: string): Promise<boolean>;
}

export function registerBanRoutes(app: FastifyInstance, table: RouteTable, bans: BanControl): void {
  route(app, table, {
    method: 'GET',
    url: '/api/bans',
    tag: 'bans',
    summary: 'Sources banned at the SIP edge, and usernames locked after failed authentications',
    access: 'read',
    handler: async () => bans.list(),
  });

  route(app, table, {
    method: 'POST',
    url: '/api/bans',
    tag: 'bans',
    summary: 'Ban an address or network by hand (firewall-wide: integrators)',
    access: 'integrator',
    body: z.object({
      address: z.string().min(1).describe('192.0.2.7 or 192.0.2.0/24'),
      minutes: z.number().positive().max(525_600).default(60),
      reason: z.string().max(500).optional(),
    }),
    handler: async ({ body, principal }, reply) => {
      const reason = body.reason || 'banned by hand';
      const r = await bans.add(body.address, body.minutes, reason, principal!.username);
      if (typeof r === 'string') return reply.code(400).send({ code: 'TG_ERR_USAGE', message: r });
      return reply.code(201).send({ ban: r });
    },
  });

  route(app, table, {
    method: 'POST',
    url: '/api/bans/lift',
    tag: 'bans',
    summary: 'Lift a ban (integrators)',
    access: 'integrator',
    body: z.object({ address: z.string().min(1) }),
    handler: async ({ body }, reply) => {
      const lifted = await bans.lift(body.address);
      return lifted
        ? { lifted: body.address }
        : reply.code(404).send({ code: 'TG_ERR_NOT_FOUND', message: `no ban on ${body.address}` });
    },
  });
}
