// Alerts from what the firewall decided (R-MONITOR): a call refused, cut, quarantined or let through with an alert
// becomes one alert in plain words — what happened, what Tollguard did, which call, what it cost (or would have:
// the engine's tariffs price a refused call too), what to do now.
// One incident per tenant and signal, so an attack of five hundred calls is one alert with updates. The call log is
// where decisions are written, so the alerts follow it: `alertingCallLog` raises them as records are written.
import type { AlertCost, CallLog, CallRecord, CallRecordUpdate, Severity } from '../store/ports.js';
import type { NewAlert } from '../store/alert-fold.js';
import { SEVERITY_RANK } from '../store/alert-fold.js';
import type { DecisionView, SignalView } from '../adapters/decider.js';
import { decisiveSignal, refuses } from '../adapters/decider.js';
import type { Quarantine } from '../engine/index.js';
import { costOfTalk, type DestinationClass, type Price } from '../numbering/index.js';

/** The call an alert is about, as the call log has it. */
export type AlertedCall = Pick<
  CallRecord,
  'id' | 'tenantId' | 'direction' | 'startedAt' | 'caller' | 'called' | 'calledE164' | 'destinationClass' | 'country'
> &
  Partial<Pick<CallRecord, 'sourceAddress' | 'userAgent' | 'answeredAt' | 'estimatedCost' | 'currency'>>;

/** The price of a tenant's destination, from its tariffs (the engine's); undefined when unknown. */
export type PriceOf = (tenantId: string, destination: { cls: DestinationClass; e164?: string }) => Price | undefined;

const HOUR_MS = 3_600_000;

export function money(amount: number, currency: string): string {
  return `${amount.toFixed(2)} ${currency}`;
}

function minutes(ms: number): string {
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/**
 * What the call cost, or would have: nothing yet for a refused call, and what an hour of talk on it costs (a fraud
 * call runs for hours); up to the cut for a cut call; so far for a call that goes on. Undefined when nothing is known.
 */
function costLine(
  call: AlertedCall,
  decision: DecisionView,
  o: { cut: boolean; at: number; price?: Price | undefined },
): { line: string; cost: AlertCost } | undefined {
  const p = o.price;
  const currency = p?.currency ?? call.currency;
  if (!currency) return undefined;
  const talked = call.answeredAt !== undefined ? Math.max(0, o.at - call.answeredAt) : undefined;
  const spent = call.estimatedCost ?? (p && talked !== undefined ? costOfTalk(p, talked) : 0);
  const perHour = p ? costOfTalk(p, HOUR_MS) : 0;
  const rate = p
    ? `${money(p.perMinute, currency)} a minute${p.setup ? ` and ${money(p.setup, currency)} to connect` : ''} (${p.source})`
    : '';
  let line: string;
  if (o.cut && decision.enforced) {
    line =
      `What it cost: about ${money(spent, currency)}${talked !== undefined ? `, ${minutes(talked)} of talk` : ''} ` +
      `before Tollguard cut it${p ? `; at ${rate}, each further hour would have cost ${money(perHour - p.setup, currency)}` : ''}.`;
  } else if (refuses(decision)) {
    line = `What it cost: nothing, it was refused before it connected${p ? `. Let through, at ${rate}, an hour of it would have cost ${money(perHour, currency)}` : ''}.`;
  } else {
    line = `What it costs: about ${money(spent, currency)} so far${p ? `; at ${rate}, an hour of it costs ${money(perHour, currency)}` : ''}.`;
  }
  return { line, cost: { currency, spent, perHour } };
}

/** What a person should do next, per rule: the first thing an integrator would check. */
const ADVICE: Record<string, string> = {
  'destination-class':
    'If this number is expected, add it to the allow list (policy.rules.lists.allow). If nobody placed this call, ' +
    'the extension may be hijacked: change its SIP password and look at its other calls in the call log.',
  'forwarded-call':
    'A forward or transfer to an expensive number is the voicemail-forward hack: change the voicemail PINs ' +
    '(tollguard check-pin), remove forwards nobody set, and disable forwarding from remote voicemail access.',
  hairpin:
    'An outside caller was bridged back out through the trunk: disable DISA, or restrict it to a few people and ' +
    'services (R-DISA); check which dialplan context inbound calls land in.',
  concurrency:
    'Many calls at once is how a hijacked extension or a brute-forced SIP account is used: check the extension, ' +
    'change its SIP password, and read its calls in the call log.',
  velocity:
    'Calls in a burst are how a hijacked extension or a brute-forced SIP account is used: check the extension, ' +
    'change its SIP password, and read its calls in the call log.',
  'sequential-dialling':
    'Many numbers of one range in a short time is range testing before an attack: find which extension dials them ' +
    'and change its SIP password.',
  'max-duration': 'A call ran longer than allowed for its class: check who placed it and whether it was expected.',
  'spend-cap':
    'Spending reached a cap: read the call log for this site. Once the cause is fixed, lift the quarantine with ' +
    '`tollguard release --tenant <id>` (add `--extension <ext>` for one extension).',
  'new-destination':
    'This site never called this country before: check with the caller. A fraud goes where the fraudster is paid.',
  profile:
    'This site\u2019s calls are far from what they usually are at this hour (volume, spend, a destination class, a ' +
    'call\u2019s length): check with the caller; if nobody placed these calls, the extension may be hijacked.',
  lists: 'The number is on the block list of this site.',
  quarantine:
    'Every outbound call of the quarantined extension or site is refused until a person releases it: ' +
    '`tollguard release --tenant <id> [--extension <ext>]`.',
  engine: 'The fraud engine failed or was late and the fail mode decided: read Tollguard\u2019s log.',
};

function did(decision: DecisionView, cut: boolean): string {
  const verb: Record<string, string> = {
    allow: 'let the call through',
    alert: 'let the call through and raised this alert',
    reject: 'refused the call at setup',
    quarantine: 'refused the call and quarantined the caller',
    cut: cut ? 'cut the call while it ran' : 'refused the call at setup',
    ban: 'refused the source address',
  };
  const what = verb[decision.action] ?? decision.action;
  return decision.enforced ? `Tollguard ${what}.` : `Monitor mode: nothing was enforced; Tollguard would have ${what}.`;
}

const TITLE_VERB: Record<string, string> = {
  alert: 'Alert on',
  reject: 'Refused',
  quarantine: 'Refused and quarantined',
  cut: 'Cut',
  ban: 'Refused',
};

function worst(signals: SignalView[]): Severity {
  let s: Severity = 'info';
  for (const x of signals) if (SEVERITY_RANK[x.severity as Severity] > SEVERITY_RANK[s]) s = x.severity as Severity;
  return s;
}

/**
 * The alert for a call's decision, or undefined when nothing in it asks for one (every signal `allow`). `cut` says
 * the decision came while the call ran (a cut), not at setup.
 */
export function alertOfDecision(
  call: AlertedCall,
  decision: DecisionView,
  opts: { cut?: boolean; at?: number; price?: Price | undefined } = {},
): NewAlert | undefined {
  const told = decision.signals.filter((s) => s.action !== 'allow');
  if (told.length === 0) return undefined;
  const main = decisiveSignal({ ...decision, signals: told })!;
  const number = call.calledE164 ?? call.called;
  const where = [call.destinationClass, call.country].filter(Boolean).join(', ');
  const verb = TITLE_VERB[decision.action] ?? 'Alert on';
  const title =
    `${decision.enforced ? '' : '[monitor] '}${verb} ${call.direction} call from ${call.caller} to ${number}` +
    `${where ? ` (${where})` : ''}: ${main.signal}`;
  const lines = [
    `What happened: ${main.message}.`,
    ...told.filter((s) => s !== main).map((s) => `Also: ${s.signal} (${s.rule}): ${s.message}.`),
    '',
    `What Tollguard did: ${did(decision, opts.cut === true)}`,
    '',
    `The call: ${new Date(call.startedAt).toISOString()}, ${call.direction}, from ${call.caller} to ${call.called}` +
      `${call.calledE164 && call.calledE164 !== call.called ? ` (${call.calledE164})` : ''}${where ? `, ${where}` : ''}` +
      `${call.sourceAddress ? `, sent by ${call.sourceAddress}` : ''}${call.userAgent ? ` (${call.userAgent})` : ''}; call id ${call.id}.`,
  ];
  const cost = costLine(call, decision, { cut: opts.cut === true, at: opts.at ?? call.startedAt, price: opts.price });
  if (cost) lines.push('', cost.line);
  const advice = [...new Set(told.map((s) => ADVICE[s.rule]).filter(Boolean))];
  if (advice.length === 0)
    advice.push(`Check with the caller whether this call was expected; ${READ_CALLS(call.tenantId)}.`);
  lines.push('', 'What to do now:', ...advice.map((a) => `- ${a}`));
  return {
    tenantId: call.tenantId,
    incidentKey: `${main.rule}:${main.signal}`,
    severity: worst(told),
    title,
    body: lines.join('\n'),
    firstAt: opts.at ?? call.startedAt,
    callIds: [call.id],
    ...(cost ? { cost: cost.cost } : {}),
  };
}

const READ_CALLS = (tenantId: string): string =>
  `read this site\u2019s other calls in the console or with \`tollguard calls --tenant ${tenantId}\``;

/** The alert for a quarantine: the most urgent thing to tell, since it stops the site's or the extension's calls. */
export function alertOfQuarantine(q: Quarantine): NewAlert {
  const who = q.extension !== undefined ? `extension ${q.extension}` : 'the whole site';
  return {
    tenantId: q.tenantId,
    incidentKey: `quarantine:${q.extension ?? '*'}`,
    severity: 'critical',
    title: `Quarantined ${who}: every outbound call refused until released (${q.signal})`,
    body: [
      `What happened: ${q.message}.`,
      '',
      `What Tollguard did: quarantined ${who} at ${new Date(q.since).toISOString()}; its outbound calls are refused ` +
        '(emergency numbers still pass). The call that set it off was cut or refused: ' +
        `call id ${q.callId}.`,
      '',
      'What to do now:',
      `- Read the call log of this site; find out why the ${q.rule} rule fired.`,
      `- When the cause is fixed: tollguard release --tenant ${q.tenantId}${q.extension !== undefined ? ` --extension ${q.extension}` : ''}`,
    ].join('\n'),
    firstAt: q.since,
    callIds: [q.callId],
  };
}

/**
 * A call log that raises an alert whenever a decision worth telling is written: at setup (`open`) and when a
 * decision grows while the call runs (`update` with a decision: a cut, or what monitor mode would have cut).
 * `raise` must not throw or block: the dispatcher queues.
 */
export function alertingCallLog(
  inner: CallLog,
  raise: (a: NewAlert) => void,
  o: { now?: () => number; priceOf?: PriceOf } = {},
): CallLog {
  const now = o.now ?? Date.now;
  const priceOf = (r: CallRecord): Price | undefined =>
    r.destinationClass
      ? o.priceOf?.(r.tenantId, {
          cls: r.destinationClass as DestinationClass,
          ...(r.calledE164 !== undefined ? { e164: r.calledE164 } : {}),
        })
      : undefined;
  return {
    open: async (record) => {
      await inner.open(record);
      if (record.decision) {
        const a = alertOfDecision(record, record.decision as DecisionView, { price: priceOf(record) });
        if (a) raise(a);
      }
    },
    update: async (id, patch: CallRecordUpdate) => {
      await inner.update(id, patch);
      if (!patch.decision) return;
      const record = await inner.get(id);
      if (!record) return;
      const a = alertOfDecision(record, patch.decision as DecisionView, {
        cut: patch.disposition === 'cut',
        at: patch.endedAt ?? now(),
        price: priceOf(record),
      });
      if (a) raise(a);
    },
    get: (id) => inner.get(id),
    search: (q) => inner.search(q),
    closeUnfinished: (at) => inner.closeUnfinished(at),
    purge: (tenantId, before) => inner.purge(tenantId, before),
    summarize: (q) => inner.summarize(q),
  };
}
