// Links from alerts and digests into the web console: one place for the console's page addresses (its pages are
// hash routes, `#/incidents?id=…`), and for where the console is reached from (`alerts.consoleUrl`, else api.listen).
import { hostname } from 'node:os';
import { parseHostPort } from '../config/address.js';

export interface ConsoleLinks {
  incident(alertId: string): string;
  incidents(): string;
  /** A tenant's calls started in [from, to). */
  calls(tenantId: string, from: number, to: number): string;
  call(callId: string): string;
}

export function consoleLinks(baseUrl: string): ConsoleLinks {
  const base = baseUrl.replace(/\/+$/, '');
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  return {
    incident: (id) => `${base}/#/incidents?${q({ id })}`,
    incidents: () => `${base}/#/incidents`,
    calls: (tenant, from, to) =>
      `${base}/#/calls?${q({ tenant, from: new Date(from).toISOString(), to: new Date(to).toISOString() })}`,
    call: (id) => `${base}/#/calls?${q({ id })}`,
  };
}

/**
 * The console's address as people reach it: `alerts.consoleUrl` when set (a reverse proxy, a public name), else
 * what the API listens on (`boundPort`: the port it got, when 0 was asked), the machine's name standing for a
 * wildcard address (0.0.0.0, ::).
 */
export function consoleUrlOf(
  consoleUrl: string | undefined,
  apiListen: string,
  boundPort?: number,
): string | undefined {
  if (consoleUrl) return consoleUrl;
  const hp = parseHostPort(apiListen, { listen: true });
  const port = boundPort ?? hp?.port ?? 8080;
  if (!hp || port === 0) return undefined;
  const wildcard = hp.host === '0.0.0.0' || hp.host === '::' || hp.host === '';
  const host = wildcard ? hostname() : hp.host.includes(':') ? `[${hp.host}]` : hp.host;
  return `http://${host}:${port}`;
}
