// What an alert channel is given and how it reports: one notification per incident update, and the digests,
// whatever the channel.
import type { AlertRecord, Severity } from '../store/ports.js';
import type { Digest } from './digest.js';

/** An incident as people are told about it. */
export interface Notification {
  alert: AlertRecord;
  /** Tenant name shown to people. */
  tenantName: string;
  /** Link to the incident in the console, when the console's public URL is configured. */
  link?: string;
  /** `new` for the first event of an incident, `update` for the ones folded into it. */
  kind: 'new' | 'update';
}

export interface AlertChannel {
  /** `smtp`, `webhook`, `syslog` — for logs and metrics. */
  readonly kind: string;
  /** Delivers or throws; the dispatcher retries and never lets a failure reach call handling. */
  send(n: Notification): Promise<void>;
  /** Delivers a digest or throws (retried like an alert); a channel without it gets none. */
  sendDigest?(d: Digest): Promise<void>;
  close?(): Promise<void>;
}

export const severityOrder: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export function atLeast(severity: Severity, min: Severity): boolean {
  return severityOrder.indexOf(severity) >= severityOrder.indexOf(min);
}
