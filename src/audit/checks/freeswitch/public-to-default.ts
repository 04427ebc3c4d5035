// The dialplan from where outside calls land: an action that sends the call into another context (transfer,
// execute_extension: typically `$1 XML default`, where phones may call out) or bridges it to a gateway. With a
// condition that lets any number through (or none), the outside caller dials out at the company's expense; with a
// narrow one (^(10[01][0-9])$ in vanilla) only local extensions are reached.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { FreeswitchModel, FsExtension } from '../../freeswitch/model.js';
import { PROBES } from '../../destinations.js';
import { outsideEntries } from './outside.js';

/** Dialled numbers of ../destinations.ts that the extension's destination_number conditions let through. */
function letThrough(x: FsExtension): string[] | undefined {
  const conds = x.conditions.filter((c) => c.field === 'destination_number');
  let ok = PROBES.map((p) => p.number);
  for (const c of conds) {
    let re: RegExp;
    try {
      re = new RegExp(c.expression);
    } catch {
      return undefined;
    }
    ok = ok.filter((n) => re.test(n));
  }
  return ok;
}

/** The context a transfer / execute_extension sends the call to: `dest [dialplan [context]]`. */
function targetContext(data: string, here: string): string {
  const parts = data.trim().split(/\s+/);
  if (parts.length >= 3) return parts[2]!;
  if (parts.length === 2 && !/^(XML|inline|enum|LUA|asterisk)$/i.test(parts[1]!)) return parts[1]!;
  return here;
}

export const fsPublicToDefault: Check<FreeswitchModel> = {
  id: 'freeswitch.public-to-default',
  recommendation: 'R-DISA',
  severity: 'critical',
  looksAt:
    'dialplan contexts where outside calls land (public, profiles with auth-calls=false, gateways): transfer and ' +
    'execute_extension into another context, bridge to a gateway, and the destination_number conditions before them',
  texts: {
    title: 'Outside calls sent into the internal dialplan',
    meaning:
      'A call from outside is handed to a context meant for phones. If the number is not restricted, the caller ' +
      'can dial out through the company’s gateway, international and premium numbers included.',
    fix:
      'In the public context, transfer only exact numbers (the company’s DIDs) to exact extensions, never ' +
      '${destination_number} or a broad pattern into default; keep bridges to gateways out of public.',
  },
  run(model) {
    const out: Finding[] = [];
    const entries = outsideEntries(model);
    for (const entry of entries) {
      const ctx = model.contexts.get(entry.context);
      if (!ctx) continue;
      for (const x of ctx.extensions) {
        for (const c of x.conditions) {
          for (const a of c.actions) {
            const app = a.app.toLowerCase();
            let what: string | undefined;
            if (app === 'transfer' || app === 'execute_extension') {
              const target = targetContext(a.data, ctx.name);
              // A jump within the outside contexts' own kind is not a way in; any other context is.
              if (target === ctx.name || target === 'public') continue;
              what = `${a.app} ${a.data} into context ${target}`;
            } else if (app === 'bridge' && /sofia\/(gateway|external)\//.test(a.data)) {
              what = `bridge ${a.data} to a gateway`;
            } else continue;
            const through = letThrough(x);
            const open = through === undefined || through.length > 0;
            const cond = x.conditions
              .filter((k) => k.field === 'destination_number')
              .map((k) => k.expression)
              .join(' and ');
            out.push(
              findingOf(this, {
                severity: open ? 'critical' : 'info',
                file: a.file,
                line: a.line,
                subject: `context ${ctx.name}`,
                message: open
                  ? `${entry.who}: extension ${x.name} does ${what} for any number${cond ? ` (destination_number ${cond} lets international numbers through)` : ''}`
                  : `${entry.who}: extension ${x.name} does ${what}, limited to destination_number ${cond}: keep it that narrow`,
              }),
            );
          }
        }
      }
    }
    for (const p of model.profiles) {
      const ctx = p.settings.get('context');
      const auth = p.settings.get('auth-calls');
      if (auth && /^(false|no|off|0)$/i.test(auth.value) && ctx && ctx.value !== 'public' && ctx.value === 'default') {
        out.push(
          findingOf(this, {
            file: ctx.file,
            line: ctx.line,
            subject: `sip profile ${p.name}`,
            message: `sip profile ${p.name} takes calls without authentication (auth-calls=false) straight into context default`,
          }),
        );
      }
    }
    return out;
  },
};
