// Alerts from the edge guard: a ban or a locked username, told once per kind of attack (one incident per signal,
// folded), firewall-wide: a scan hits the firewall, not one tenant.
import type { NewAlert } from '../store/alert-fold.js';
import type { Ban, Severity } from '../store/ports.js';

/** The tenant id of firewall-wide alerts; every channel gets them. Not a valid tenant id, so it cannot clash. */
export const FIREWALL = '*';

const BAN_SEVERITY: Record<string, Severity> = {
  SCAN_USER_AGENT: 'medium',
  SCAN_FINGERPRINT: 'medium',
  FLOOD_SOURCE: 'medium',
  MALFORMED_FLOOD: 'low',
  ENUMERATION: 'high',
  AUTH_FAILURES: 'high',
  manual: 'info',
};

const BAN_ADVICE: Record<string, string> = {
  SCAN_USER_AGENT:
    'Nothing to do: scanners sweep the Internet all day. Make sure the PBX itself is not reachable from outside (R-EXPOSURE).',
  SCAN_FINGERPRINT:
    'Nothing to do: scanners sweep the Internet all day. Make sure the PBX itself is not reachable from outside (R-EXPOSURE).',
  FLOOD_SOURCE: 'If the source is yours (a phone gone wrong), add it to edge.allow; otherwise nothing to do.',
  MALFORMED_FLOOD: 'Nothing to do unless the source is yours: then its SIP stack sends broken requests.',
  ENUMERATION:
    'Someone is listing your extensions: check that every extension has a strong SIP password (tollguard check-password).',
  AUTH_FAILURES:
    'Someone is guessing SIP passwords: check that every extension has a strong one (tollguard check-password) and that the PBX locks accounts after 3 failures (R-LOCKOUT).',
  manual: 'Set by hand.',
};

export function alertOfBan(ban: Ban): NewAlert {
  const minutes = Math.round((ban.until - ban.since) / 60_000);
  return {
    tenantId: FIREWALL,
    incidentKey: `edge:${ban.signal}`,
    severity: BAN_SEVERITY[ban.signal] ?? 'medium',
    title: `Banned ${ban.address} for ${minutes} min: ${ban.signal}`,
    body: [
      `What happened: ${ban.reason}.`,
      '',
      `What Tollguard did: dropped every request from ${ban.address} until ${new Date(ban.until).toISOString()}` +
        `${ban.offences > 1 ? ` (offence ${ban.offences}: each repeat bans 4 times longer)` : ''}; the PBX saw nothing more from it.`,
      '',
      'What to do now:',
      `- ${BAN_ADVICE[ban.signal] ?? BAN_ADVICE.FLOOD_SOURCE}`,
      `- Lift it if it is a mistake: tollguard bans lift ${ban.address}`,
    ].join('\n'),
    firstAt: ban.since,
    callIds: [],
  };
}

export function alertOfLock(l: {
  username: string;
  source: string;
  failures: number;
  until: number;
  time: number;
}): NewAlert {
  return {
    tenantId: FIREWALL,
    incidentKey: `edge:AUTH_LOCKED:${l.username}`,
    severity: 'high',
    title: `Username ${l.username} locked after ${l.failures} failed authentications`,
    body: [
      `What happened: ${l.failures} wrong passwords for ${l.username}, the last from ${l.source}.`,
      '',
      `What Tollguard did: refuses ${l.username}'s registrations and calls from outside until ${new Date(l.until).toISOString()} (R-LOCKOUT).`,
      '',
      'What to do now:',
      `- If it was not the user mistyping: change ${l.username}'s SIP password now, to one that passes tollguard check-password.`,
    ].join('\n'),
    firstAt: l.time,
    callIds: [],
  };
}
