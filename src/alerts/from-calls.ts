// Alerts from what the firewall decided (R-MONITOR): a call refused, cut, quarantined or let through with an alert
// becomes one alert in plain words — what happened, what Tollguard did, which call, what it cost, what to do now.
// One incident per tenant and signal, so an attack of five hundred calls is one alert with updates. The call log is
// where decisions are written, so the alerts follow it: `alertingCallLog` raises them as records are written.
import type { CallLog, CallRecord, CallRecordUpdate, Severity } from '../store/ports.js';
import type { NewAlert } from '../store/alert-fold.js';
import { SEVERITY_RANK } from '../store/alert-fold.js';
import type { DecisionView, SignalView } from '../adapters/decider.js';
import { decisiveSignal } from '../adapters/decider.js';
import type { Quarantine } from '../engine/index.js';

/** The call an alert is about, as the call log has it. */
export type AlertedCall = Pick<
  CallRecord,
  'id' | 'tenantId' | 'direction' | 'startedAt' | 'caller' | 'called' | 'calledE164' | 'destinationClass' | 'country'
> &
  Partial<Pick<CallRecord, 'sourceAddress' | 'userAgent' | 'estimatedCost' | 'currency'>>;

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
  opts: { cut?: boolean; at?: number } = {},
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
  if (call.estimatedCost !== undefined)
    lines.push(`Estimated cost: ${call.estimatedCost.toFixed(2)} ${call.currency ?? ''}`.trimEnd() + '.');
  const advice = [...new Set(told.map((s) => ADVICE[s.rule]).filter(Boolean))];
  if (advice.length) lines.push('', 'What to do now:', ...advice.map((a) => `- ${a}`));
  return {
    tenantId: call.tenantId,
    incidentKey: `${main.rule}:${main.signal}`,
    severity: worst(told),
    title,
    body: lines.join('\n'),
    firstAt: opts.at ?? call.startedAt,
    callIds: [call.id],
  };
}

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
export function alertingCallLog(inner: CallLog, raise: (a: NewAlert) => void, now: () => number = Date.now): CallLog {
  return {
    open: async (record) => {
      await inner.open(record);
      if (record.decision) {
        const a = alertOfDecision(record, record.decision as DecisionView);
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
        at: now(),
      });
      if (a) raise(a);
    },
    get: (id) => inner.get(id),
    search: (q) => inner.search(q),
    closeUnfinished: (at) => inner.closeUnfinished(at),
    purge: (tenantId, before) => inner.purge(tenantId, before),
  };
}
