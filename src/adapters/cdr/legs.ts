// Direction and legs from what the PBX wrote. A CDR does not say "outbound"; its channels, context, last
// application and numbers do: an extension's channel dialling the trunk is outbound, a trunk channel answered by a
// phone is inbound, phone to phone is internal, and an inbound call that left again on the trunk (DISA, a forward,
// a trunk-to-trunk bridge) is a hairpin: an outbound call the company pays for and never placed.
import type { Numbering } from '../../numbering/index.js';
import type { CdrRecord } from './record.js';
import { BoundedCache } from '../../collections/bounded-cache.js';

export type Leg = 'outbound' | 'inbound' | 'internal' | 'trunk-to-trunk';

export const LEGS: readonly Leg[] = ['outbound', 'inbound', 'internal', 'trunk-to-trunk'];

/** What a record is, for the engine: the direction, who called whom, and why it was read so. */
export interface LegView {
  leg: Leg;
  caller: string;
  /** The calling extension, when an extension placed the call. */
  callerExtension?: string;
  /** The number that left on the trunk (outbound, trunk-to-trunk) or was called (inbound, internal). */
  called: string;
  /** One phrase of evidence: `lastapp DISA`, `trunk channel on both sides`… */
  why: string;
}

export interface LegOptions {
  /** Classifies numbers: what is an outside number (anything the dial plan reads as one) and what is not. */
  numbering: Numbering;
  /** Peer names (channel `SIP/<peer>-…`) that are trunks; `*` matches any run of characters. */
  trunks?: string[];
  /** Contexts calls from the trunk enter; the default recognises from-trunk, from-pstn, public, *incoming*… */
  trunkContexts?: RegExp;
}

type Kind = 'trunk' | 'extension' | 'local' | 'none' | 'unknown';

/** What a channel is; shared between the records of one channel: never changed. */
type ChannelKind = Readonly<{ kind: Kind; peer?: string }>;
/** What a Dial's first destination is; shared likewise. */
type DialTarget = Readonly<{ kind: Kind; number?: string }>;

const NO_CHANNEL: ChannelKind = { kind: 'none' };
const NO_TARGET: DialTarget = { kind: 'none' };
/** Channels, Dial strings and numbers read, kept (then forgotten all at once): a PBX has few peers and hot numbers. */
const MEMO = 8192;

/** A channel name without its trailing sequence (`SIP/201-0000000a` → `SIP/201`, `IAX2/peer-7;2` → `IAX2/peer`). */
function withoutSequence(channel: string): string {
  let i = channel.length;
  // An optional `;<digits>` (a Local channel's half)…
  let j = i;
  while (j > 0 && isDigit(channel.charCodeAt(j - 1))) j--;
  if (j < i && j > 0 && channel.charCodeAt(j - 1) === 59) i = j - 1;
  // …after `-<hex>` or `;<hex>`.
  let h = i;
  while (h > 0 && isHex(channel.charCodeAt(h - 1))) h--;
  if (h < i && h > 0) {
    const c = channel.charCodeAt(h - 1);
    if (c === 45 || c === 59) return channel.slice(0, h - 1);
  }
  return channel;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** Channel technologies that are lines to the telephone network. */
const PSTN_TECH = /^(dahdi|zap|misdn|ss7|dgv|capi|srx|khomp|woomera)$/i;
/** Peer names people give trunks. */
const TRUNK_NAME = /trunk|provider|gateway|\bgw\b|^gw|gw$|pstn|itsp|carrier|operator|sbc|sip-?out|voip/i;
const DEFAULT_TRUNK_CONTEXTS =
  /^(public|from-?(trunk|pstn|external|provider|outside|did|itsp|carrier|sip-external|voip)\b.*)$|incoming|inbound/i;

/** Reads channels and numbers with one set of options (the trunk patterns compiled once). */
export class LegReader {
  private readonly trunkPeers: RegExp | undefined;
  private readonly trunkContexts: RegExp;
  private readonly outside = new BoundedCache<string, boolean>(MEMO);
  private readonly channels = new BoundedCache<string, ChannelKind>(MEMO);
  private readonly dials = new BoundedCache<string, DialTarget>(MEMO);

  constructor(private readonly o: LegOptions) {
    const pats = (o.trunks ?? []).filter((t) => t.trim() !== '');
    this.trunkPeers = pats.length
      ? new RegExp(
          `^(${pats
            .map((p) =>
              p
                .trim()
                .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '.*'),
            )
            .join('|')})$`,
          'i',
        )
      : undefined;
    this.trunkContexts = o.trunkContexts ?? DEFAULT_TRUNK_CONTEXTS;
  }

  /** True for a number the dial plan reads as an outside number (national, mobile, abroad, emergency…). */
  isOutside(n: string): boolean {
    if (n === '') return false;
    return this.outside.get(n) ?? this.outside.set(n, this.o.numbering.classify(n).cls !== 'unknown');
  }

  /** What a channel name is: `SIP/201-0000000a` an extension, `PJSIP/provider-00000012` a trunk… */
  channelKind(channel: string): ChannelKind {
    if (channel === '') return NO_CHANNEL;
    // Known by the channel without its sequence number (the same peer on every call; sofia names have none).
    const key = channel.startsWith('sofia/') ? channel : withoutSequence(channel);
    return this.channels.get(key) ?? this.channels.set(key, this.readChannel(channel));
  }

  private readChannel(channel: string): ChannelKind {
    const slash = channel.indexOf('/');
    if (slash < 0) return { kind: 'unknown' };
    const tech = channel.slice(0, slash);
    const rest = channel.slice(slash + 1);
    if (/^local$/i.test(tech) || /^loopback$/i.test(tech)) return { kind: 'local' };
    if (/^sofia$/i.test(tech)) {
      // FreeSWITCH: sofia/<profile>/<user>@host; the internal profile serves phones, external and gateways trunks.
      const [profile = '', user = ''] = rest.split('/');
      const peer = user.split('@')[0]!;
      if (/^(external|gateway)$/i.test(profile)) return { kind: 'trunk', peer };
      if (/^internal$/i.test(profile)) return { kind: 'extension', peer };
      return { kind: 'unknown', peer };
    }
    if (PSTN_TECH.test(tech)) return { kind: 'trunk' };
    // Asterisk: TECH/peer-<sequence>, the sequence 8 hex digits (SIP, PJSIP) or a number (IAX2, DAHDI).
    const peer = rest.replace(/[-;][0-9a-f]+(;\d+)?$/i, '');
    if (this.trunkPeers?.test(peer)) return { kind: 'trunk', peer };
    if (/^\d{2,6}$/.test(peer)) return { kind: 'extension', peer };
    if (TRUNK_NAME.test(peer)) return { kind: 'trunk', peer };
    return { kind: 'unknown', peer };
  }

  /**
   * The first destination of a Dial: `SIP/provider/0899123456,60,tT` → peer provider, number 0899123456;
   * `PJSIP/0612345678@trunk` → peer trunk, number 0612345678; `PJSIP/201` → peer 201.
   */
  dialTarget(lastapp: string, lastdata: string): DialTarget | undefined {
    if (lastdata === '' || !(lastapp === 'Dial' || /^dial$/i.test(lastapp))) return undefined;
    // The same Dial string comes back call after call (a number dialled again, a phone rung again).
    const t = this.dials.get(lastdata) ?? this.dials.set(lastdata, this.readDial(lastdata) ?? NO_TARGET);
    return t === NO_TARGET ? undefined : t;
  }

  private readDial(lastdata: string): DialTarget | undefined {
    const first = lastdata.split(/[,|]/)[0]!.split('&')[0]!.trim();
    const parts = first.split('/');
    if (parts.length < 2) return undefined;
    const tech = parts[0]!;
    if (/^local$/i.test(tech)) return { kind: 'local' };
    let peer: string;
    let number: string | undefined;
    if (parts.length >= 3) {
      peer = parts[1]!;
      number = parts.slice(2).join('/');
    } else {
      const [user, host] = parts[1]!.split('@');
      if (host !== undefined) {
        peer = host;
        number = user;
      } else peer = user!;
    }
    const kind = PSTN_TECH.test(tech)
      ? 'trunk'
      : this.trunkPeers?.test(peer) || TRUNK_NAME.test(peer)
        ? 'trunk'
        : /^\d{2,6}$/.test(peer) && number === undefined
          ? 'extension'
          : number !== undefined && this.isOutside(number)
            ? 'trunk'
            : 'unknown';
    return number !== undefined ? { kind, number } : { kind, number: kind === 'trunk' ? undefined : peer };
  }

  read(r: CdrRecord): LegView {
    const stated = statedLeg(r.direction);
    const ch = this.channelKind(r.channel);
    const dialled = this.dialTarget(r.lastapp, r.lastdata);
    let dk = this.channelKind(r.dstchannel).kind;
    if ((dk === 'none' || dk === 'unknown' || dk === 'local') && dialled && dialled.kind !== 'unknown')
      dk = dialled.kind;
    const dialledOut = dialled?.number !== undefined && this.isOutside(dialled.number) ? dialled.number : undefined;
    const dstOut = this.isOutside(r.dst);
    const srcOut = this.isOutside(r.src);
    // What left on the trunk: the Dial's number when there is one (after the PBX's rewriting), else what was dialled.
    const calledOut = dialledOut ?? r.dst;
    const extension =
      ch.kind === 'extension' && ch.peer ? ch.peer : !srcOut && /^\d{2,6}$/.test(r.src) ? r.src : undefined;
    const trunkContext = this.trunkContexts.test(r.dcontext);
    const out = (why: string): LegView => ({
      leg: 'outbound',
      caller: r.src,
      ...(extension !== undefined ? { callerExtension: extension } : {}),
      called: calledOut,
      why,
    });
    const hairpin = (why: string): LegView => ({ leg: 'trunk-to-trunk', caller: r.src, called: calledOut, why });
    const inbound = (why: string): LegView => ({ leg: 'inbound', caller: r.src, called: r.dst, why });
    const internal = (why: string): LegView => ({
      leg: 'internal',
      caller: r.src,
      ...(extension !== undefined ? { callerExtension: extension } : {}),
      called: r.dst,
      why,
    });

    if (stated) {
      if (stated === 'outbound') return out('the record says outbound');
      if (stated === 'trunk-to-trunk') return hairpin('the record says trunk-to-trunk');
      if (stated === 'inbound') return inbound('the record says inbound');
      return internal('the record says internal');
    }
    if (/^disa$/i.test(r.lastapp)) return hairpin('lastapp DISA');
    if (ch.kind === 'trunk' && dk === 'trunk') return hairpin('trunk channel on both sides');
    if (ch.kind === 'trunk') return inbound('trunk channel');
    if (trunkContext && dk === 'trunk') return hairpin(`an outbound call from the trunk context ${r.dcontext}`);
    if (ch.kind === 'local' && srcOut && dk === 'trunk') return hairpin('a forward: outside caller sent to the trunk');
    if (ch.kind === 'extension') {
      if (dk === 'trunk' || (dk !== 'extension' && (dstOut || dialledOut !== undefined)))
        return out('extension to trunk');
      return internal('extension to extension');
    }
    if (dk === 'trunk') return out('to a trunk channel');
    if (dk === 'extension')
      return srcOut || trunkContext ? inbound('outside caller to an extension') : internal('to an extension');
    // No channel tells: the context and the numbers do.
    if (trunkContext) return inbound(`context ${r.dcontext}`);
    if (dstOut) return out('to an outside number');
    if (srcOut) return inbound('from an outside number');
    return internal('short numbers on both sides');
  }
}

function statedLeg(d: string): Leg | undefined {
  if (d === '') return undefined;
  const v = d.trim().toLowerCase();
  if (v === 'outbound' || v === 'out' || v === 'outgoing') return 'outbound';
  if (v === 'inbound' || v === 'in' || v === 'incoming') return 'inbound';
  if (v === 'internal' || v === 'local' || v === 'intern') return 'internal';
  if (v === 'trunk-to-trunk' || v === 'hairpin' || v === 'transit') return 'trunk-to-trunk';
  return undefined;
}
