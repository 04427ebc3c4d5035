// The dialplan events (src/audit/asterisk/reach.ts) that the dialplan checks turn into findings: one per line that
// does the harm, with the shortest way found to it, and the number dialled classified roughly.
import type { PathStep } from '../../types.js';
import type { AsteriskModel, EntryPoint } from '../../asterisk/index.js';
import { Walker, type ReachEvent } from '../../asterisk/reach.js';
import { classifyDialled, PROBES } from '../../destinations.js';

export type StepEvent = Exclude<ReachEvent, { kind: 'missing-context' }>;

export interface Reached<E extends StepEvent> {
  event: E;
  entry: EntryPoint;
  /** Every destination class seen on this line (international, premium, satellite, other). */
  classes: Set<string>;
}

/** Events of one kind from outside callers, one per (file, line, authenticated), keeping the shortest path. */
export function outsideEvents<K extends StepEvent['kind']>(
  model: AsteriskModel,
  kind: K,
  keep: (e: Extract<StepEvent, { kind: K }>) => boolean = () => true,
): Reached<Extract<StepEvent, { kind: K }>>[] {
  const byLine = new Map<string, Reached<Extract<StepEvent, { kind: K }>>>();
  for (const { entry, events } of model.outsideEvents()) {
    for (const e of events) {
      if (e.kind !== kind) continue;
      const ev = e as Extract<StepEvent, { kind: K }>;
      if (!keep(ev)) continue;
      collect(byLine, ev, entry);
    }
  }
  return [...byLine.values()];
}

function collect<E extends StepEvent>(byLine: Map<string, Reached<E>>, ev: E, entry: EntryPoint): void {
  const key = `${ev.step.file}:${ev.step.line}:${ev.authenticated}`;
  const cls = ev.kind === 'trunk-dial' ? classifyDialled(ev.number) : 'other';
  const prev = byLine.get(key);
  if (!prev) {
    byLine.set(key, { event: ev, entry, classes: new Set([cls]) });
    return;
  }
  prev.classes.add(cls);
  if (ev.path.length < prev.event.path.length) {
    prev.event = ev;
    prev.entry = entry;
  }
}

/** Walks from one context as a caller who may dial anything there (phones, voicemail dial-out contexts). */
export function eventsFrom(model: AsteriskModel, context: string, start: PathStep): StepEvent[] {
  const w = new Walker(model.dialplan, model.channels, { voicemailOut: model.voicemail.outContexts });
  w.startAnywhere(context, [start]);
  return w.events.filter((e): e is StepEvent => e.kind !== 'missing-context');
}

/** The worst destination class among those seen, for messages. */
export function worstClass(classes: Set<string>): 'satellite' | 'premium' | 'international' | undefined {
  for (const c of ['satellite', 'premium', 'international'] as const) if (classes.has(c)) return c;
  return undefined;
}

/** A probe number of that class, to show in a message what can be dialled. */
export function exampleOf(cls: string): string | undefined {
  return PROBES.find((p) => p.cls === cls)?.label;
}
