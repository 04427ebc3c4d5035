// The edge guard (R-EXPOSURE, R-LOCKOUT): before any call is decided, what comes from outside the PBX and trunk is
// watched for the break-in that precedes fraud — scanners by their fingerprints, floods, guessed passwords,
// enumerated extensions, garbage — and the source is banned, the guessed username locked. It sees requests and
// the PBX's answers as plain facts (no sockets) and takes time from them, like the engine. The PBX and trunk
// addresses and the allowlist are never banned: a firewall must not cut the company off its own operator.
import { z } from 'zod';
import { networkContains, parseNetwork, type Network } from '../config/address.js';
import type { Ban } from '../store/ports.js';
import { KeyedDistinct, KeyedSums } from '../engine/windows.js';
import { ScannerAgents } from './fingerprints.js';

/** A request as the edge sees it. */
export interface EdgeRequest {
  time: number;
  /** Source IP address. */
  source: string;
  method: string;
  userAgent?: string | undefined;
  /** Every one of Via, From, To and Call-ID written in compact form (v, f, t, i). */
  compactForm?: boolean;
  fromTag?: string | undefined;
  /** The user part of the To URI (the extension asked for). */
  toUser?: string | undefined;
  /** The username of Authorization / Proxy-Authorization, when the request carries credentials. */
  authUser?: string | undefined;
}

/** What to do with a request. */
export type EdgeVerdict =
  { pass: true } | { pass: false; status?: number; signal: string; reason: string; ban?: Ban; lockedUser?: string };

export const edgeSchema = z
  .strictObject({
    bannedResponse: z
      .enum(['drop', 'reject'])
      .default('drop')
      .describe('A banned source is dropped silently (`drop`: a scanner learns nothing) or answered 403 (`reject`).'),
    banMinutes: z.number().positive().default(15).describe('First ban of a source; each repeat bans 4 times longer.'),
    maxBanHours: z.number().positive().default(168).describe('Longest ban (a week by default).'),
    floodPerSecond: z
      .number()
      .positive()
      .default(20)
      .describe('Requests of one method per second from one outside source, averaged over 10 s, that make a flood.'),
    authFailures: z
      .strictObject({
        lockAfter: z.number().int().min(1).default(3).describe('Failed authentications that lock a username.'),
        lockMinutes: z.number().positive().default(30).describe('How long a locked username is refused.'),
        banAfter: z
          .number()
          .int()
          .min(1)
          .default(5)
          .describe('Failed authentications from one source (any usernames) that ban it.'),
        windowMinutes: z.number().positive().default(15).describe('Failures are counted over this window.'),
      })
      .prefault({})
      .describe('Guessed passwords (R-LOCKOUT: 3 failures lock the service).'),
    enumeration: z
      .strictObject({
        distinctUsers: z
          .number()
          .int()
          .min(2)
          .default(8)
          .describe('Different unknown usernames (404, or a 401/403 without credentials) from one source.'),
        windowMinutes: z.number().positive().default(5).describe('Over this window.'),
      })
      .prefault({})
      .describe('Extension enumeration.'),
    malformedPerMinute: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Malformed requests (refused by the SIP layer) from one outside source in a minute that ban it.'),
    allow: z
      .array(z.string().refine((s) => parseNetwork(s) !== undefined, { message: 'is not an IP address or network' }))
      .default([])
      .describe('Addresses and networks never banned (the office, the integrator), besides every PBX and trunk.'),
    userAgents: z
      .strictObject({
        add: z.array(z.string().min(3)).default([]).describe('User-Agent values added to the shipped scanner list.'),
        remove: z.array(z.string()).default([]).describe('Shipped values to drop.'),
      })
      .prefault({})
      .describe('Edits of the scanner User-Agent list (data/scanners/user-agents.txt).'),
  })
  .describe('Scanner and brute-force defence at the SIP edge.');

export type EdgeOptions = z.output<typeof edgeSchema>;

/** The first From tag svcrack sends, whatever its options (SIPVicious source). */
const SVCRACK_FIRST_TAG = '3206210844';

export interface EdgeListener {
  /** A source was banned (or banned again, longer). */
  banned?(ban: Ban): void;
  /** A username was locked after failed authentications. */
  locked?(e: { username: string; source: string; failures: number; until: number; time: number }): void;
}

export class EdgeGuard {
  private readonly bans = new Map<string, Ban>();
  private readonly networks: Array<{ net: Network; ban: Ban }> = [];
  private readonly locks = new Map<string, number>();
  private readonly allow: Network[];
  private readonly agents: ScannerAgents;
  private readonly rates = new KeyedSums(10_000, 10);
  private readonly failuresByUser: KeyedSums;
  private readonly failuresBySource: KeyedSums;
  private readonly unknownUsers: KeyedDistinct;
  private readonly malformedBySource = new KeyedSums(60_000, 12);
  private lastSweep = 0;

  constructor(
    private readonly o: EdgeOptions,
    /** True for the PBX and trunk addresses: watched, never banned. */
    private readonly isProtected: (address: string) => boolean,
    private readonly listener: EdgeListener = {},
  ) {
    this.allow = o.allow.map((a) => parseNetwork(a)!);
    this.agents = ScannerAgents.shipped().withEdits(o.userAgents);
    const failWindow = o.authFailures.windowMinutes * 60_000;
    this.failuresByUser = new KeyedSums(failWindow, 15);
    this.failuresBySource = new KeyedSums(failWindow, 15);
    this.unknownUsers = new KeyedDistinct(o.enumeration.windowMinutes * 60_000, 1000);
  }

  /** Puts back bans kept in the store (at start). */
  restore(bans: Ban[]): void {
    for (const b of bans) this.keep(b);
  }

  /** The ban in force on `address` at `time`, if any. */
  bannedAt(address: string, time: number): Ban | undefined {
    const b = this.bans.get(address);
    if (b && b.until > time) return b;
    for (const n of this.networks) if (n.ban.until > time && networkContains(n.net, address)) return n.ban;
    return undefined;
  }

  /** What to do with a request from outside the PBX and trunk (or from them: only bans never apply there). */
  check(req: EdgeRequest): EdgeVerdict {
    this.sweep(req.time);
    if (this.isSpared(req.source)) return { pass: true };
    const banned = this.bannedAt(req.source, req.time);
    if (banned)
      return this.refusal(banned.signal, `banned until ${new Date(banned.until).toISOString()}: ${banned.reason}`);
    const agent = req.userAgent !== undefined ? this.agents.match(req.userAgent) : undefined;
    if (agent) return this.banFor(req, 'SCAN_USER_AGENT', `scanner User-Agent "${req.userAgent}" (matches ${agent})`);
    if (
      req.compactForm &&
      req.userAgent === undefined &&
      (req.method === 'OPTIONS' || req.method === 'REGISTER' || req.method === 'INVITE')
    ) {
      return this.banFor(req, 'SCAN_FINGERPRINT', `${req.method} in compact form with no User-Agent (SIPVicious -c)`);
    }
    if (req.fromTag === SVCRACK_FIRST_TAG) {
      return this.banFor(req, 'SCAN_FINGERPRINT', `From tag ${SVCRACK_FIRST_TAG}, svcrack's first guess`);
    }
    const rateKey = `${req.source}|${req.method}`;
    this.rates.add(rateKey, req.time);
    const rate = this.rates.sum(rateKey, req.time) / 10;
    if (rate > this.o.floodPerSecond) {
      return this.banFor(
        req,
        'FLOOD_SOURCE',
        `${req.method} flood: ${rate.toFixed(1)}/s over 10 s (limit ${this.o.floodPerSecond}/s)`,
      );
    }
    const user = req.authUser ?? (req.method === 'REGISTER' ? req.toUser : undefined);
    if (user !== undefined) {
      const until = this.locks.get(user);
      if (until !== undefined && until > req.time) {
        return {
          pass: false,
          status: 403,
          signal: 'AUTH_LOCKED',
          reason: `username ${user} is locked until ${new Date(until).toISOString()} after failed authentications`,
          lockedUser: user,
        };
      }
    }
    return { pass: true };
  }

  /**
   * The PBX's final answer to a request `check` let through: failed authentications (401/407/403 to a request that
   * carried credentials) lock the username and may ban the source; unknown users (404, or a challenge to a
   * REGISTER without credentials for a new username) count as enumeration.
   */
  answered(req: EdgeRequest, status: number): EdgeVerdict {
    if (status < 400 || this.isSpared(req.source)) return { pass: true };
    const failedAuth = req.authUser !== undefined && (status === 401 || status === 407 || status === 403);
    if (failedAuth) {
      const user = req.authUser!;
      this.failuresByUser.add(user, req.time);
      this.failuresBySource.add(req.source, req.time);
      const byUser = this.failuresByUser.sum(user, req.time);
      if (byUser >= this.o.authFailures.lockAfter && !(this.locks.get(user)! > req.time)) {
        const until = req.time + this.o.authFailures.lockMinutes * 60_000;
        this.locks.set(user, until);
        this.listener.locked?.({ username: user, source: req.source, failures: byUser, until, time: req.time });
      }
      const bySource = this.failuresBySource.sum(req.source, req.time);
      if (bySource >= this.o.authFailures.banAfter) {
        return this.banFor(
          req,
          'AUTH_FAILURES',
          `${bySource} failed authentications in ${this.o.authFailures.windowMinutes} min (last as ${user})`,
        );
      }
      return { pass: true };
    }
    const user = req.toUser;
    if (
      user !== undefined &&
      (status === 404 || status === 403 || status === 401 || status === 407 || status === 484)
    ) {
      this.unknownUsers.add(req.source, user, req.time);
      const distinct = this.unknownUsers.count(req.source, req.time);
      if (distinct >= this.o.enumeration.distinctUsers) {
        return this.banFor(
          req,
          'ENUMERATION',
          `${distinct} different usernames tried in ${this.o.enumeration.windowMinutes} min, answered ${status}`,
        );
      }
    }
    return { pass: true };
  }

  /** A request the SIP layer refused as malformed. */
  malformed(source: string, time: number): EdgeVerdict {
    if (this.isSpared(source)) return { pass: true };
    const banned = this.bannedAt(source, time);
    if (banned) return this.refusal(banned.signal, banned.reason);
    this.malformedBySource.add(source, time);
    const n = this.malformedBySource.sum(source, time);
    if (n >= this.o.malformedPerMinute) {
      return this.banFor({ source, time }, 'MALFORMED_FLOOD', `${n} malformed requests in a minute`);
    }
    return { pass: true };
  }

  /** Bans an address or network by hand (`tollguard bans add`, the API). */
  banManually(address: string, minutes: number, reason: string, by: string, time: number): Ban {
    const ban: Ban = {
      address,
      signal: 'manual',
      reason,
      since: time,
      until: time + minutes * 60_000,
      offences: 1,
      by,
    };
    this.keep(ban);
    this.listener.banned?.(ban);
    return ban;
  }

  /** Lifts a ban; false when there was none. Lifting also forgets the offences (a fresh start). */
  lift(address: string): boolean {
    const had = this.bans.delete(address);
    const i = this.networks.findIndex((n) => n.ban.address === address);
    if (i >= 0) this.networks.splice(i, 1);
    return had || i >= 0;
  }

  /** Bans in force at `time`. */
  list(time: number): Ban[] {
    return [...this.bans.values(), ...this.networks.map((n) => n.ban)].filter((b) => b.until > time);
  }

  /** Usernames locked at `time`. */
  lockedUsers(time: number): Array<{ username: string; until: number }> {
    return [...this.locks].filter(([, until]) => until > time).map(([username, until]) => ({ username, until }));
  }

  private isSpared(address: string): boolean {
    return this.isProtected(address) || this.allow.some((n) => networkContains(n, address));
  }

  private banFor(req: Pick<EdgeRequest, 'source' | 'time'>, signal: string, reason: string): EdgeVerdict {
    const before = this.bans.get(req.source);
    const offences = (before?.offences ?? 0) + 1;
    const minutes = Math.min(this.o.banMinutes * 4 ** (offences - 1), this.o.maxBanHours * 60);
    const ban: Ban = {
      address: req.source,
      signal,
      reason,
      since: req.time,
      until: req.time + minutes * 60_000,
      offences,
    };
    this.keep(ban);
    this.listener.banned?.(ban);
    return { ...this.refusal(signal, reason), ban };
  }

  private refusal(signal: string, reason: string): Extract<EdgeVerdict, { pass: false }> {
    return this.o.bannedResponse === 'reject'
      ? { pass: false, status: 403, signal, reason }
      : { pass: false, signal, reason };
  }

  private keep(ban: Ban): void {
    const net = parseNetwork(ban.address);
    if (net && net.prefix < (net.family === 4 ? 32 : 128)) {
      this.lift(ban.address);
      this.networks.push({ net, ban });
    } else this.bans.set(ban.address, ban);
  }

  /** Forgets idle counters and expired locks once a minute; expired bans stay (their offences count). */
  private sweep(time: number): void {
    if (time - this.lastSweep < 60_000) return;
    this.lastSweep = time;
    this.rates.sweep(time);
    this.failuresByUser.sweep(time);
    this.failuresBySource.sweep(time);
    this.unknownUsers.sweep(time);
    this.malformedBySource.sweep(time);
    for (const [u, until] of this.locks) if (until <= time) this.locks.delete(u);
    // Offences are remembered for a week after a ban ends.
    for (const [a, b] of this.bans) if (b.until < time - 7 * 86_400_000) this.bans.delete(a);
  }
}
