// Where calls from outside land: the public context, the context of every SIP profile that does not authenticate
// calls (auth-calls=false), and the context of gateways. Shared by the dialplan and profile checks.
import type { FreeswitchModel, FsProfile } from '../../freeswitch/model.js';

export interface OutsideEntry {
  context: string;
  who: string;
}

function isFalse(v: string | undefined): boolean {
  return v !== undefined && /^(false|no|off|0)$/i.test(v.trim());
}

export function profileAuthenticates(p: FsProfile): boolean {
  return !isFalse(p.settings.get('auth-calls')?.value);
}

export function outsideEntries(model: FreeswitchModel): OutsideEntry[] {
  const out = new Map<string, string[]>();
  const add = (ctx: string, who: string): void => {
    out.set(ctx, [...(out.get(ctx) ?? []), who]);
  };
  if (model.contexts.has('public')) add('public', 'calls from outside (the public context)');
  for (const p of model.profiles) {
    if (!profileAuthenticates(p))
      add(p.settings.get('context')?.value ?? 'public', `sip profile ${p.name} (auth-calls=false)`);
    for (const g of p.gateways)
      add(g.params.get('context')?.value ?? p.settings.get('context')?.value ?? 'public', `gateway ${g.name}`);
  }
  return [...out].map(([context, who]) => ({ context, who: [...new Set(who)].join(', ') }));
}
