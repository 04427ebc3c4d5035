// How commands talk to a running firewall: its REST API, at --api (default $TOLLGUARD_API or 127.0.0.1:8080), with
// an optional bearer token; a firewall that cannot be reached, or refuses, is a usage error that says so.
import type { Command } from 'commander';
import { TollguardError } from '../errors.js';

export interface ApiOptions {
  api: string;
  token?: string;
}

/** Adds --api and --token to a command that calls the running firewall. */
export function withApiOptions(cmd: Command): Command {
  return cmd
    .option('--api <url>', 'the firewall\u2019s API', process.env.TOLLGUARD_API ?? 'http://127.0.0.1:8080')
    .option('--token <token>', 'an API token (default: $TOLLGUARD_TOKEN)');
}

/** Calls the API; returns the JSON body of a 2xx answer, throws a TollguardError with the API's message otherwise. */
export async function callApi<T>(o: ApiOptions, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const token = o.token ?? process.env.TOLLGUARD_TOKEN;
  let res: Response;
  try {
    res = await fetch(new URL(path, o.api), {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    throw new TollguardError('TG_ERR_USAGE', `cannot reach the firewall at ${o.api}: ${(err as Error).message}`);
  }
  const json = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) throw new TollguardError('TG_ERR_USAGE', `the firewall refused: ${json.message ?? res.status}`);
  return json;
}
