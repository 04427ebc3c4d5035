// Webhook alerts: JSON POSTed to a URL, signed with HMAC-SHA256 so the receiver knows it came from us.
// `slack` shape: `{text}` as Slack and Teams incoming webhooks accept.
import { createHmac } from 'node:crypto';
import type { AlertChannel, Notification } from '../types.js';
import { subjectOf, textOf } from '../render.js';
import type { Digest } from '../digest.js';
import { digestSubject, digestText } from '../digest-render.js';

export interface WebhookChannelOptions {
  url: string;
  /** Shared secret for the `X-Tollguard-Signature: sha256=<hex>` header over the exact body. */
  secret?: string;
  shape?: 'tollguard' | 'slack';
  timeoutMs?: number;
}

export const SIGNATURE_HEADER = 'x-tollguard-signature';

export function signBody(secret: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

export function webhookChannel(o: WebhookChannelOptions): AlertChannel {
  const post = async (payload: unknown): Promise<void> => {
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'tollguard' };
    if (o.secret) headers[SIGNATURE_HEADER] = signBody(o.secret, body);
    const res = await fetch(o.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    await res.body?.cancel();
  };
  return {
    kind: 'webhook',
    send: (n: Notification) =>
      post(
        o.shape === 'slack'
          ? { text: `*${subjectOf(n)}*\n${textOf(n)}` }
          : {
              event: n.kind === 'new' ? 'incident.opened' : 'incident.updated',
              tenantName: n.tenantName,
              link: n.link,
              alert: n.alert,
            },
      ),
    // `digest`: the figures as computed (docs/alerts.md shows one).
    sendDigest: (d: Digest) =>
      post(o.shape === 'slack' ? { text: `*${digestSubject(d)}*\n${digestText(d)}` } : { event: 'digest', digest: d }),
  };
}
