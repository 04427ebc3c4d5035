// E-mail alerts over SMTP (nodemailer): STARTTLS when the server offers it, authentication when configured.
import nodemailer from 'nodemailer';
import type { AlertChannel, Notification } from '../types.js';
import { subjectOf, textOf } from '../render.js';
import type { Digest } from '../digest.js';
import { digestHtml, digestSubject, digestText } from '../digest-render.js';

export interface SmtpChannelOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS is used when offered, required when `requireTls`. */
  secure?: boolean;
  requireTls?: boolean;
  user?: string;
  password?: string;
  from: string;
  to: string[];
  /** Accept a self-signed server certificate (a private relay). */
  allowSelfSigned?: boolean;
}

export function smtpChannel(o: SmtpChannelOptions): AlertChannel {
  const transport = nodemailer.createTransport({
    host: o.host,
    port: o.port,
    secure: o.secure ?? false,
    requireTLS: o.requireTls ?? false,
    auth: o.user ? { user: o.user, pass: o.password ?? '' } : undefined,
    tls: { rejectUnauthorized: !o.allowSelfSigned },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    kind: 'smtp',
    async send(n: Notification) {
      await transport.sendMail({
        from: o.from,
        to: o.to,
        subject: subjectOf(n),
        text: textOf(n),
        headers: { 'X-Tollguard-Incident': `${n.alert.tenantId}/${n.alert.incidentKey}` },
      });
    },
    async sendDigest(d: Digest) {
      await transport.sendMail({
        from: o.from,
        to: o.to,
        subject: digestSubject(d),
        text: digestText(d),
        html: digestHtml(d),
        headers: { 'X-Tollguard-Digest': `${d.tenantId}/${d.period}/${d.start}` },
      });
    },
    async close() {
      transport.close();
    },
  };
}
