// How commands talk to a running firewall: its REST API, at --api (default $TOLLGUARD_API or 127.0.0.1:8080), with
// a bearer token: --token, else $TOLLGUARD_TOKEN, else the file the firewall writes for this machine's commands
// (--token-file, $TOLLGUARD_TOKEN_FILE, default tollguard-data/cli-token). A firewall that cannot be reached, or
// refuses, is a usage error that says so.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { TollguardError } from '../errors.js';

export interface ApiOptions {
  api: string;
  token?: string;
  tokenFile?: string;
}

/** The default of --token-file: where `tollguard start` writes its token (api.cliTokenFile). */
export const DEFAULT_TOKEN_FILE = 'tollguard-data/cli-token';

function tokenOf(o: ApiOptions): string | undefined {
  if (o.token) return o.token;
  if (process.env.TOLLGUARD_TOKEN) return process.env.TOLLGUARD_TOKEN;
  const file = o.tokenFile ?? process.env.TOLLGUARD_TOKEN_FILE ?? DEFAULT_TOKEN_FILE;
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined; // no file: the API answers 401, and the message says what to give
  }
}

/** Adds --api and --token to a command that calls the running firewall. */
export function withApiOptions(cmd: Command): Command {
  return cmd
    .option('--api <url>', 'the firewall\u2019s API', process.env.TOLLGUARD_API ?? 'http://127.0.0.1:8080')
    .option('--token <token>', 'an API token (default: $TOLLGUARD_TOKEN)')
    .option(
      '--token-file <file>',
      `file holding the API token (default: $TOLLGUARD_TOKEN_FILE or ${DEFAULT_TOKEN_FILE})`,
    );
}

/** Calls the API; returns the JSON body of a 2xx answer, throws a TollguardError with the API's message otherwise. */
export async function callApi<T>(o: ApiOptions, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const token = tokenOf(o);
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
  if (res.status === 401) {
    throw new TollguardError(
      'TG_ERR_USAGE',
      `the firewall refused: ${json.message ?? 'not authenticated'} (give --token, set $TOLLGUARD_TOKEN, or run from the folder \`tollguard start\` runs in, where it writes ${DEFAULT_TOKEN_FILE})`,
    );
  }
  if (!res.ok) throw new TollguardError('TG_ERR_USAGE', `the firewall refused: ${json.message ?? res.status}`);
  return json;
}
