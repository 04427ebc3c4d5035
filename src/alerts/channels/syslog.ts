// Syslog alerts for a SIEM: RFC 5424 messages over UDP (RFC 5426) or TCP with octet counting (RFC 6587).
import dgram from 'node:dgram';
import net from 'node:net';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import type { Severity } from '../../store/ports.js';
import type { AlertChannel, Notification } from '../types.js';
import type { Digest } from '../digest.js';
import { digestLine } from '../digest-render.js';

export interface SyslogChannelOptions {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp';
  /** Syslog facility number; default 13 (log audit)… 16 (local0) is common for applications. */
  facility?: number;
  appName?: string;
}

const SYSLOG_SEVERITY: Record<Severity, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };

/** Escapes a structured-data parameter value (RFC 5424 §6.3.3). */
function sdValue(v: string): string {
  return v.replace(/[\\"\]]/g, (c) => '\\' + c);
}

export function formatSyslog(n: Notification, o: { facility: number; appName: string; host: string }): string {
  const a = n.alert;
  const pri = o.facility * 8 + SYSLOG_SEVERITY[a.severity];
  const ts = new Date(a.lastAt).toISOString();
  const sd =
    `[tollguard@32473 tenant="${sdValue(a.tenantId)}" incident="${sdValue(a.incidentKey)}" ` +
    `severity="${a.severity}" count="${a.count}" alertId="${sdValue(a.id)}"]`;
  const msg = `${a.title}: ${a.body}`.replace(/[\r\n]+/g, ' ');
  return `<${pri}>1 ${ts} ${o.host} ${o.appName} - ${n.kind === 'new' ? 'INCIDENT' : 'UPDATE'} ${sd} ${msg}`;
}

/** A digest as one line: severity info, its figures as structured data for the SIEM, and in words. */
export function formatDigestSyslog(d: Digest, o: { facility: number; appName: string; host: string }): string {
  const pri = o.facility * 8 + 6;
  const sd =
    `[tollguardDigest@32473 tenant="${sdValue(d.tenantId)}" period="${d.period}" start="${d.start}" ` +
    `end="${d.end}" calls="${d.calls.total}" inbound="${d.calls.inbound}" outbound="${d.calls.outbound}" ` +
    `refused="${d.refused}" cut="${d.cut}" alerted="${d.alerted}" spend="${d.spend.toFixed(2)}" ` +
    `currency="${sdValue(d.currency)}" openIncidents="${d.open.total}"]`;
  const msg = digestLine(d).replace(/[\r\n]+/g, ' ');
  return `<${pri}>1 ${new Date(d.generatedAt).toISOString()} ${o.host} ${o.appName} - DIGEST ${sd} ${msg}`;
}

export function syslogChannel(o: SyslogChannelOptions): AlertChannel {
  const fmt = { facility: o.facility ?? 13, appName: o.appName ?? 'tollguard', host: hostname() || '-' };
  let udp: dgram.Socket | undefined;
  let tcp: net.Socket | undefined;
  const tcpSocket = (): Promise<net.Socket> =>
    new Promise((resolve, reject) => {
      if (tcp && !tcp.destroyed) return resolve(tcp);
      const s = net.connect({ host: o.host, port: o.port });
      s.once('connect', () => {
        tcp = s;
        resolve(s);
      });
      s.once('error', reject);
      s.on('close', () => {
        if (tcp === s) tcp = undefined;
      });
    });
  const write = async (line: string): Promise<void> => {
    if (o.protocol === 'udp') {
      udp ??= dgram.createSocket(isIP(o.host) === 6 ? 'udp6' : 'udp4');
      await new Promise<void>((resolve, reject) =>
        udp!.send(Buffer.from(line), o.port, o.host, (err) => (err ? reject(err) : resolve())),
      );
      return;
    }
    const s = await tcpSocket();
    const frame = Buffer.from(line);
    await new Promise<void>((resolve, reject) =>
      s.write(`${frame.length} ${line}`, (err) => (err ? reject(err) : resolve())),
    );
  };
  return {
    kind: 'syslog',
    send: (n: Notification) => write(formatSyslog(n, fmt)),
    sendDigest: (d: Digest) => write(formatDigestSyslog(d, fmt)),
    async close() {
      udp?.close();
      tcp?.end();
    },
  };
}
