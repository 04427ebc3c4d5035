// A call's decision in plain words: what Tollguard did (or would have, in monitor mode) and every signal that
// explains it. Shared by the call log and the incidents.
import { h } from '../dom.js';
import { t, word, fmt } from '../i18n.js';

export function decisionView(decision) {
  if (!decision) return h('p', { class: 'muted', text: t('call.nodecision') });
  const head = decision.enforced
    ? t('call.did', { action: word('did', decision.action) })
    : t('call.woulddo', { action: word('did', decision.action) });
  return h(
    'div',
    { class: 'decision' },
    h('p', {}, h('strong', { text: head })),
    decision.signals?.length
      ? h(
          'ul',
          { class: 'signals' },
          decision.signals.map((sg) =>
            h(
              'li',
              {},
              h('span', { class: `badge act-${sg.action}`, text: word('action', sg.action) }),
              ' ',
              h('strong', { text: word('signal', sg.signal) }),
              ' ',
              h('code', { text: sg.signal }),
              h('br'),
              h('span', { text: sg.message }),
              h('small', { class: 'muted', text: ` (${t('call.rule')} ${sg.rule}, ${word('severity', sg.severity)})` }),
            ),
          ),
        )
      : h('p', { class: 'muted', text: t('call.nosignal') }),
    decision.failed ? h('p', { class: 'note error', text: decision.failed.reason }) : null,
  );
}

export function callSummary(c) {
  const number = c.calledE164 && c.calledE164 !== c.called ? `${c.called} (${c.calledE164})` : c.called;
  const where = [c.destinationClass && word('cls', c.destinationClass), c.country].filter(Boolean).join(', ');
  return `${fmt.dateTime(c.startedAt)} · ${word('dir', c.direction)} · ${c.caller} → ${number}${where ? ` · ${where}` : ''} · ${word('disp', c.disposition)}${c.estimatedCost !== undefined ? ` · ${fmt.money(c.estimatedCost, c.currency)}` : ''}`;
}
