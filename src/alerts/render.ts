// Plain-words text of an alert, shared by every channel so a mail, a chat message and a syslog line say the same.
import type { Notification } from './types.js';
import { money } from './from-calls.js';

export function subjectOf(n: Notification): string {
  const prefix = n.kind === 'update' ? 'Update: ' : '';
  return `[Tollguard ${n.alert.severity.toUpperCase()}] ${prefix}${n.tenantName}: ${n.alert.title}`;
}

export function textOf(n: Notification): string {
  const a = n.alert;
  const lines = [
    a.title,
    '',
    a.body,
    '',
    `Site: ${n.tenantName} (${a.tenantId})`,
    `Severity: ${a.severity}`,
    `First seen: ${new Date(a.firstAt).toISOString()}`,
    `Last seen: ${new Date(a.lastAt).toISOString()} (${a.count} event${a.count === 1 ? '' : 's'})`,
  ];
  if (a.callIds.length) lines.push(`Calls: ${a.callIds.slice(0, 10).join(', ')}${a.callIds.length > 10 ? ', …' : ''}`);
  // The body is the latest event's; the incident's cost is the sum over all of them.
  if (a.cost && a.count > 1) {
    lines.push(
      `Cost of its ${a.count} calls (estimate): ${money(a.cost.spent, a.cost.currency)} spent; ` +
        `an hour of each would cost ${money(a.cost.perHour, a.cost.currency)} in all`,
    );
  }
  if (n.link) lines.push('', `Open it in the console: ${n.link}`);
  return lines.join('\n') + '\n';
}
