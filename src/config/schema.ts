// The configuration file's schema: one place for every option, its default and its documentation
// (`.describe()` texts become the JSON Schema that editors read, and docs/config.md follows them).
import { z } from 'zod';
import { parseHostPort, parseNetwork } from './address.js';
import { tenantPolicySchema } from '../engine/policy.js';
import { edgeSchema } from '../edge/guard.js';
import { parseDigestTime } from '../alerts/digest.js';

/** "host", "host:port", "[v6]:port". */
export const hostPortString = z
  .string()
  .refine((s) => parseHostPort(s) !== undefined, { message: 'is not an address (host or host:port)' });

/** An address to listen on: as hostPortString, and port 0 lets the system pick a free port. */
export const listenString = z.string().refine((s) => parseHostPort(s, { listen: true }) !== undefined, {
  message: 'is not an address (host or host:port)',
});

/** "192.0.2.7", "192.0.2.0/24", "2001:db8::/32". */
export const networkString = z
  .string()
  .refine((s) => parseNetwork(s) !== undefined, { message: 'is not an IP address or network (a.b.c.d/len)' });

/** "udp://127.0.0.1:5060", "tcp://[::1]:5060", "tls://0.0.0.0:5061". */
export const sipListenString = z.string().refine((s) => parseSipListen(s) !== undefined, {
  message: 'is not a SIP listen address (udp://host:port, tcp://host:port or tls://host:port)',
});

export type SipTransportName = 'udp' | 'tcp' | 'tls';

export interface SipListen {
  transport: SipTransportName;
  host: string;
  port: number;
}

export function parseSipListen(text: string): SipListen | undefined {
  const m = /^(udp|tcp|tls):\/\/(.+)$/i.exec(text.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const transport = m[1].toLowerCase() as SipTransportName;
  const hp = parseHostPort(m[2], { listen: true });
  if (!hp) return undefined;
  return { transport, host: hp.host, port: hp.port ?? (transport === 'tls' ? 5061 : 5060) };
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const logSchema = z
  .strictObject({
    level: z.enum(logLevels).default('info').describe('Least severe level written. `--log-level` overrides it.'),
    format: z
      .enum(['auto', 'json', 'pretty'])
      .default('auto')
      .describe('`json` one object per line; `pretty` for people; `auto`: pretty on a terminal, JSON otherwise.'),
  })
  .describe('Logging.');

export const storeSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^(sqlite:|memory:$|postgres(ql)?:\/\/)/, 'is not a store URL (sqlite:PATH, memory: or postgres://…)')
      .default('sqlite:tollguard-data/tollguard.db')
      .describe(
        'Where the call log, alerts and state live. `sqlite:PATH` (relative to the working directory; the embedded ' +
          'default) or `postgres://user@host:5432/db`.',
      ),
  })
  .describe('The store.');

export const apiSchema = z
  .strictObject({
    listen: listenString
      .default('127.0.0.1:8080')
      .describe('Address of the REST API and console. Loopback by default: expose it deliberately.'),
    lockoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .default(15)
      .describe('How long an account stays locked after 3 failed logins in a row (R-LOCKOUT).'),
    sessionHours: z.number().min(0.25).max(168).default(12).describe('How long a console login lasts.'),
    publicMetrics: z
      .boolean()
      .default(false)
      .describe(
        'Let `/metrics` answer without credentials (a Prometheus on a trusted network). Off: it needs an API token ' +
          'of an integrator of every tenant (`bearer_token` in the scrape configuration).',
      ),
    cliTokenFile: z
      .string()
      .default('tollguard-data/cli-token')
      .describe(
        'At each start, a fresh API token of the first integrator is written here (mode 0600) for the `tollguard` ' +
          'commands run on this machine (`bans`, `release`…), which read it when no `--token` is given. Empty: none.',
      ),
  })
  .describe('The REST API and web console.');

export const sipSchema = z
  .strictObject({
    listen: z
      .array(sipListenString)
      .min(1)
      .default(['udp://127.0.0.1:5060', 'tcp://127.0.0.1:5060'])
      .describe('Sockets the firewall listens on, one per transport and address.'),
    stopGraceSeconds: z
      .number()
      .min(0)
      .max(3600)
      .default(30)
      .describe(
        'On SIGTERM or Ctrl-C: new calls are refused (503), calls up go on this long; those still up are then ended on both sides.',
      ),
    rejectStatus: z
      .number()
      .int()
      .min(400)
      .max(699)
      .default(403)
      .describe(
        'The final response of a call refused at setup (403 Forbidden; 603 Decline or 480 Temporarily Unavailable ' +
          'if a PBX handles those better); its Reason and Warning headers name the rule either way.',
      ),
    unknownSource: z
      .enum(['reject', 'drop'])
      .default('reject')
      .describe(
        'A request from an address that is neither a PBX nor a trunk (R-EXPOSURE): answered 403 (`reject`) or ' +
          'not answered at all (`drop`, nothing for a scanner to learn). Counted and seen by the edge guard either way.',
      ),
    decisionTimeoutMs: z
      .number()
      .int()
      .min(50)
      .max(10_000)
      .default(1000)
      .describe(
        "How long a new call waits for the engine's decision before the tenant's `failMode` decides (the engine " +
          'answers in microseconds; this bounds a fault).',
      ),
    t1Ms: z
      .number()
      .int()
      .min(50)
      .max(5000)
      .default(500)
      .describe(
        'SIP timer T1 (RFC 3261), the first retransmission interval over UDP. A request nobody answers fails after ' +
          '64 × T1 (32 s by default): an INVITE to an unreachable PBX or trunk then gets 408 back. Lower it on a LAN ' +
          'for a faster failover. A call that rings is not bound by it: it may ring for 181 s (timer C), then it is ' +
          'cancelled and the caller gets 408.',
      ),
    tls: z
      .strictObject({
        cert: z.string().describe('PEM certificate chain file.'),
        key: z.string().describe('PEM private key file.'),
        ca: z.string().optional().describe('PEM CA bundle to verify peers with, when they present certificates.'),
      })
      .optional()
      .describe('Certificates for `tls://` listeners.'),
  })
  .describe('The SIP side.');

const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);

const channelCommon = {
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'is not a channel id (lower-case letters, digits, - and _)')
    .describe('Name tenants use to pick this channel (`noc-mail`).'),
  minSeverity: severity
    .default('medium')
    .describe('Least severe alert sent here: `info`, `low`, `medium`, `high` or `critical`.'),
  digests: z.boolean().default(true).describe('Send the digests here too (when `alerts.digest` turns them on).'),
};

/** `'08:00'`: a daily digest's local time. */
const dailyTime = z
  .string()
  .refine((s) => parseDigestTime('day', s) !== undefined, { message: 'is not a time of day (08:00)' });

/** `'monday 08:00'`: a weekly digest's local day and time. */
const weeklyTime = z
  .string()
  .refine((s) => parseDigestTime('week', s) !== undefined, { message: 'is not a day and time (monday 08:00)' });

export const alertChannelSchema = z
  .discriminatedUnion('type', [
    z
      .strictObject({
        type: z.literal('smtp').describe('E-mail over SMTP.'),
        ...channelCommon,
        host: z.string().min(1).describe('SMTP server (the company relay, or the provider\u2019s submission host).'),
        port: z.number().int().min(1).max(65535).default(587).describe('587 (STARTTLS), 465 (implicit TLS) or 25.'),
        secure: z.boolean().default(false).describe('Implicit TLS (port 465); otherwise STARTTLS when offered.'),
        requireTls: z.boolean().default(false).describe('Refuse to send without STARTTLS.'),
        user: z.string().optional().describe('Login, when the server wants authentication.'),
        password: z.string().optional().describe('Password for `user`.'),
        allowSelfSigned: z.boolean().default(false).describe('Accept a self-signed certificate (a private relay).'),
        from: z.string().min(3).describe('Sender address (`tollguard@acme.example`).'),
        to: z.array(z.string().min(3)).min(1).describe('Recipients.'),
      })
      .describe('E-mail.'),
    z
      .strictObject({
        type: z.literal('webhook').describe('JSON over HTTP POST.'),
        ...channelCommon,
        url: z.url({ protocol: /^https?$/ }).describe('Receiver URL (http or https).'),
        secret: z
          .string()
          .min(16)
          .optional()
          .describe('Shared secret: each POST carries `X-Tollguard-Signature: sha256=<HMAC of the body>`.'),
        shape: z
          .enum(['tollguard', 'slack'])
          .default('tollguard')
          .describe('`tollguard` (the alert as JSON) or `slack` (a `text` message Slack and Teams accept).'),
      })
      .describe('Webhook.'),
    z
      .strictObject({
        type: z.literal('syslog').describe('RFC 5424 syslog, for a SIEM.'),
        ...channelCommon,
        host: z.string().min(1).describe('Syslog receiver.'),
        port: z.number().int().min(1).max(65535).default(514).describe('Receiver port.'),
        protocol: z.enum(['udp', 'tcp']).default('udp').describe('`udp`, or `tcp` with octet counting.'),
        facility: z.number().int().min(0).max(23).default(16).describe('Syslog facility (16: local0).'),
      })
      .describe('Syslog.'),
  ])
  .describe('One way to tell people.');

export type AlertChannelConfig = z.output<typeof alertChannelSchema>;

export const alertsSchema = z
  .strictObject({
    channels: z.array(alertChannelSchema).default([]).describe('Where alerts go; none: alerts are only stored.'),
    updateMinutes: z
      .number()
      .min(0)
      .default(5)
      .describe('Least time between two updates of one incident on a channel (a more severe update goes at once).'),
    consoleUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'The console as people reach it (`https://tollguard.acme.example`), for the links in alerts and digests. ' +
          'Default: `http://` and `api.listen` (the machine\u2019s name for a wildcard address).',
      ),
    digest: z
      .strictObject({
        daily: dailyTime
          .optional()
          .describe(
            'Local time (in each tenant\u2019s zone) of the digest of the day before (`08:00`). None by default.',
          ),
        weekly: weeklyTime
          .optional()
          .describe('Local day and time of the digest of the seven days before (`monday 08:00`). None by default.'),
        top: z
          .number()
          .int()
          .min(1)
          .max(50)
          .default(5)
          .describe('Destinations listed per kind (countries, classes, numbers), and open incidents.'),
      })
      .prefault({})
      .describe(
        'Digests per tenant (R-REVIEW): calls, refusals, cuts, alerts, spend, top destinations and open incidents of ' +
          'a day or a week, through the tenant\u2019s channels. Sent once each, even across restarts.',
      ),
  })
  .describe('Alerts: one incident per attack, told at once, then updated.');

export const tenantIdString = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'is not a tenant id (lower-case letters, digits, - and _, at most 63)');

export const tenantSchema = z
  .strictObject({
    id: tenantIdString.describe('Stable identifier, used in the API, the call log and alerts.'),
    name: z.string().min(1).optional().describe('Name shown to people. Defaults to the id.'),
    pbx: z
      .strictObject({
        addresses: z
          .array(hostPortString)
          .min(1)
          .describe(
            'The PBX: requests from these IP addresses are outbound calls; inbound calls are sent to the first. ' +
              'Sides are recognised by IP address only (TCP source ports vary).',
          ),
      })
      .describe('The company side.'),
    trunk: z
      .strictObject({
        address: hostPortString.describe('Where outbound calls are sent: the operator\u2019s SIP server.'),
        sources: z
          .array(networkString)
          .optional()
          .describe(
            'Addresses and networks the operator sends from (R-EXPOSURE: only they may talk to the trunk side). ' +
              'Defaults to the host of `address`.',
          ),
      })
      .describe('The operator side.'),
    policy: tenantPolicySchema,
    remoteUsers: z
      .boolean()
      .default(false)
      .describe(
        'Phones register to this PBX from outside (remote workers, softphones): REGISTER and calls from any address are relayed to the PBX, behind the edge guard. One tenant per firewall at most.',
      ),
    retentionDays: z
      .number()
      .int()
      .min(1)
      .default(365)
      .describe(
        'Call records older than this are deleted, daily (R-CONFIDENTIAL: old data is purged). A year suits billing disputes.',
      ),
    alerts: z
      .strictObject({
        channels: z
          .array(z.string())
          .optional()
          .describe('Ids of `alerts.channels` this tenant\u2019s alerts go to (default: every channel).'),
        digest: z
          .strictObject({
            daily: z
              .union([dailyTime, z.literal(false)])
              .optional()
              .describe('This tenant\u2019s daily digest time, or `false` for none (default: `alerts.digest.daily`).'),
            weekly: z
              .union([weeklyTime, z.literal(false)])
              .optional()
              .describe('This tenant\u2019s weekly digest, or `false` for none (default: `alerts.digest.weekly`).'),
          })
          .optional()
          .describe('This tenant\u2019s digests, over `alerts.digest`.'),
      })
      .prefault({})
      .describe('Where this tenant\u2019s alerts go.'),
  })
  .describe('One customer site: its PBX, its trunk and its policy.');

export const configSchema = z
  .strictObject({
    log: logSchema.prefault({}),
    store: storeSchema.prefault({}),
    api: apiSchema.prefault({}),
    sip: sipSchema.prefault({}),
    alerts: alertsSchema.prefault({}),
    edge: edgeSchema.prefault({}),
    tenants: z.array(tenantSchema).default([]).describe('The sites this firewall protects.'),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Map<string, number>();
    cfg.tenants.forEach((t, i) => {
      if (seen.has(t.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', i, 'id'],
          message: `is used twice (also tenants[${seen.get(t.id)}])`,
        });
      }
      seen.set(t.id, i);
      (t.alerts.channels ?? []).forEach((c, j) => {
        if (!cfg.alerts.channels.some((ch) => ch.id === c)) {
          ctx.addIssue({
            code: 'custom',
            path: ['tenants', i, 'alerts', 'channels', j],
            message: 'names no channel of alerts.channels',
          });
        }
      });
    });
    const remote = cfg.tenants.map((t, i) => (t.remoteUsers ? i : -1)).filter((i) => i >= 0);
    for (const i of remote.slice(1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tenants', i, 'remoteUsers'],
        message: `only one tenant per firewall can take remote phones (tenants[${remote[0]}] does): a phone from anywhere could not be told apart`,
      });
    }
    const ids = new Map<string, number>();
    cfg.alerts.channels.forEach((c, i) => {
      if (ids.has(c.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['alerts', 'channels', i, 'id'],
          message: `is used twice (also alerts.channels[${ids.get(c.id)}])`,
        });
      }
      ids.set(c.id, i);
    });
  })
  .describe('Tollguard configuration.');

/** The configuration after defaults: what the program runs on. */
export type Config = z.output<typeof configSchema>;
export type TenantConfig = Config['tenants'][number];
