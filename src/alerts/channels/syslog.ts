// Syslog alerts for a SIEM: RFC 5424 messages over UDP (RFC 5426) or TCP with octet counting (RFC 6587).
import dgram from 'node:dgram';
import net from 'node:net';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import type { Severity } from '../../store/ports.js';
import type { AlertChannel, Notification } from '../types.js';

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
  return {
    kind: 'syslog',
    async send(n: Notification) {
      const line = formatSyslog(n, fmt);
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
    },
    async close() {
      udp?.close();
      tcp?.end();
    },
  };
}
