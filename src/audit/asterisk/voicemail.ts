// voicemail.conf as mailboxes: `mailbox => [-]pin,name,email,pager,options` in each context, the `-` prefix meaning
// the user cannot change the PIN, options separated by `|`; and the [general] settings the checks read (minpassword,
// maxlogins, dialout, callback).
import type { ConfEntry, ConfSection } from './model.js';
import { doc, entries, get, type AsteriskConfig } from './model.js';

export interface Mailbox {
  context: string;
  mailbox: string;
  pin: string;
  /** The PIN was written `-1234`: the user cannot change it. */
  locked: boolean;
  name: string;
  options: Map<string, string>;
  entry: ConfEntry;
}

export interface VoicemailModel {
  general: ConfSection | undefined;
  mailboxes: Mailbox[];
  /** Contexts users can dial out or call back through, with where they are set. */
  outContexts: { context: string; kind: 'dialout' | 'callback'; file: string; line: number; mailbox?: string }[];
}

/** Sections of voicemail.conf that hold settings, not mailboxes. */
const NOT_MAILBOXES = new Set(['general', 'zonemessages']);

export function buildVoicemail(cfg: AsteriskConfig): VoicemailModel {
  const vm = doc(cfg, 'voicemail');
  const general = vm.general();
  const mailboxes: Mailbox[] = [];
  const outContexts: VoicemailModel['outContexts'] = [];
  for (const kind of ['dialout', 'callback'] as const) {
    const e = get(general, kind);
    if (e && e.value.trim() !== '') outContexts.push({ context: e.value.trim(), kind, file: e.file, line: e.line });
  }
  for (const s of vm.concrete()) {
    if (NOT_MAILBOXES.has(s.name.toLowerCase())) continue;
    for (const e of entries(s)) {
      // Alias sections map a mailbox to another (1234@devices => 1234@default): not a PIN.
      if (/@/.test(e.key) || /^[^,]*@[^,]*$/.test(e.value.trim())) continue;
      const fields = e.value.split(',');
      let pin = (fields[0] ?? '').trim();
      const locked = pin.startsWith('-');
      if (locked) pin = pin.slice(1);
      const options = new Map<string, string>();
      for (const opt of fields.slice(4).join(',').split('|')) {
        const eq = opt.indexOf('=');
        if (eq > 0) options.set(opt.slice(0, eq).trim().toLowerCase(), opt.slice(eq + 1).trim());
      }
      const mb: Mailbox = {
        context: s.name,
        mailbox: e.key,
        pin,
        locked,
        name: (fields[1] ?? '').trim(),
        options,
        entry: e,
      };
      mailboxes.push(mb);
      for (const kind of ['dialout', 'callback'] as const) {
        const ctx = options.get(kind);
        if (ctx) {
          outContexts.push({ context: ctx, kind, file: e.file, line: e.line, mailbox: `${e.key}@${s.name}` });
        }
      }
    }
  }
  return { general, mailboxes, outContexts };
}
