// Bans at the SIP edge: list them (with the locked usernames), add one by hand, lift one (`tollguard bans` calls
// these).
import type { FastifyInstance } from 'fastify';
import type { Ban } from '../../store/ports.js';

/** What the API may do with bans; the composition root implements it over the edge guard and the store. */
export interface BanControl {
  list(): { bans: Ban[]; locked: Array<{ username: string; until: number }> };
  /** Bans by hand; a message when the address cannot be banned (not an address, or a PBX / trunk address). */
  add(address: string, minutes: number, reason: string, by: string): Promise<Ban | string>;
  lift(address: string): Promise<boolean>;
}

export function registerBanRoutes(app: FastifyInstance, bans: BanControl): void {
  app.get('/api/bans', async () => bans.list());

  app.post('/api/bans', async (req, reply) => {
    const b = (req.body ?? {}) as { address?: unknown; minutes?: unknown; reason?: unknown; by?: unknown };
    const minutes = b.minutes === undefined ? 60 : b.minutes;
    if (typeof b.address !== 'string' || typeof minutes !== 'number' || !(minutes > 0) || minutes > 525_600) {
      return reply.code(400).send({
        code: 'TG_ERR_USAGE',
        message: 'give {"address": "192.0.2.7" or "192.0.2.0/24", "minutes": 1 to 525600 (default 60), "reason": "…"}',
      });
    }
    const reason = typeof b.reason === 'string' && b.reason ? b.reason : 'banned by hand';
    const by = typeof b.by === 'string' && b.by ? b.by : 'api';
    const r = await bans.add(b.address, minutes, reason, by);
    if (typeof r === 'string') return reply.code(400).send({ code: 'TG_ERR_USAGE', message: r });
    return reply.code(201).send({ ban: r });
  });

  app.post('/api/bans/lift', async (req, reply) => {
    const b = (req.body ?? {}) as { address?: unknown };
    if (typeof b.address !== 'string') {
      return reply.code(400).send({ code: 'TG_ERR_USAGE', message: 'give {"address": "…"}' });
    }
    const lifted = await bans.lift(b.address);
    return lifted
      ? { lifted: b.address }
      : reply.code(404).send({ code: 'TG_ERR_NOT_FOUND', message: `no ban on ${b.address}` });
  });
}
