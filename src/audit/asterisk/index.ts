// The Asterisk model the checks receive: the parsed configuration, the dialplan, the channels sorted into phones
// and trunks, the mailboxes, and, computed once and shared, where a caller from outside can go in the dialplan.
import type { PathStep } from '../types.js';
import type { AsteriskConfig } from './model.js';
import { doc } from './model.js';
import { buildDialplan, type Dialplan } from './dialplan.js';
import { buildChannels, type Channels, type Endpoint } from './channels.js';
import { buildVoicemail, type VoicemailModel } from './voicemail.js';
import { Walker, type ReachEvent } from './reach.js';

export interface EntryPoint {
  context: string;
  /** Who lands there, in plain words. */
  who: string;
  file: string;
  line: number;
  endpoints: Endpoint[];
}

export interface AsteriskModel {
  cfg: AsteriskConfig;
  dialplan: Dialplan;
  channels: Channels;
  voicemail: VoicemailModel;
  /** Contexts where calls from outside land (trunks, guests, the default context). */
  entryPoints(): EntryPoint[];
  /** What a caller from outside can reach, for every entry point (computed once). */
  outsideEvents(): { entry: EntryPoint; events: ReachEvent[] }[];
}

function describe(e: Endpoint): string {
  return `${e.tech}/${e.name} (${e.why})`;
}

export function buildAsteriskModel(cfg: AsteriskConfig): AsteriskModel {
  const dialplan = buildDialplan(doc(cfg, 'extensions'));
  const channels = buildChannels(cfg);
  const voicemail = buildVoicemail(cfg);
  let entries: EntryPoint[] | undefined;
  let outside: { entry: EntryPoint; events: ReachEvent[] }[] | undefined;

  const model: AsteriskModel = {
    cfg,
    dialplan,
    channels,
    voicemail,
    entryPoints() {
      if (entries) return entries;
      const byContext = new Map<string, EntryPoint>();
      for (const e of channels.endpoints) {
        if (e.role === 'phone') continue;
        let ep = byContext.get(e.context);
        if (!ep) {
          ep = { context: e.context, who: '', file: e.contextFile, line: e.contextLine, endpoints: [] };
          byContext.set(e.context, ep);
        }
        ep.endpoints.push(e);
      }
      for (const ep of byContext.values()) {
        const names = ep.endpoints.map(describe);
        ep.who = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
      }
      if (dialplan.contexts.has('default') && !byContext.has('default')) {
        const d = dialplan.contexts.get('default')!;
        byContext.set('default', {
          context: 'default',
          who: 'calls for which no context is set (Asterisk puts them in [default])',
          file: d.file,
          line: d.line,
          endpoints: [],
        });
      }
      entries = [...byContext.values()].sort((a, b) => a.context.localeCompare(b.context));
      return entries;
    },
    outsideEvents() {
      if (outside) return outside;
      outside = [];
      for (const entry of model.entryPoints()) {
        const walker = new Walker(dialplan, channels, { voicemailOut: voicemail.outContexts });
        const start: PathStep = { context: entry.context, file: entry.file, line: entry.line, what: entry.who };
        walker.startAnywhere(entry.context, [start]);
        outside.push({ entry, events: walker.events });
      }
      return outside;
    },
  };
  return model;
}
