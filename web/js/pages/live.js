// Live calls: every call up now with its numbers, how long it has run, and a button to cut it (twice: once to arm,
// once to cut, so a stray click cuts nothing).
import { h, table, put, every } from '../dom.js';
import { get, post, withQuery } from '../api.js';
import { t, fmt, word } from '../i18n.js';

export function render(ctx) {
  const body = h('tbody');
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const armed = new Set();
  const cutButton = (c) =>
    h('button', {
      type: 'button',
      class: armed.has(c.id) ? 'danger' : '',
      text: armed.has(c.id) ? t('live.confirm') : t('live.cut'),
      'aria-label': `${armed.has(c.id) ? t('live.confirm') : t('live.cut')}: ${c.caller ?? ''} → ${c.called ?? ''}`,
      onclick: async (e) => {
        if (!armed.has(c.id)) {
          armed.add(c.id);
          e.target.textContent = t('live.confirm');
          e.target.setAttribute('aria-label', `${t('live.confirm')}: ${c.caller ?? ''} → ${c.called ?? ''}`);
          e.target.className = 'danger';
          setTimeout(() => armed.delete(c.id), 5000);
          return;
        }
        armed.delete(c.id);
        try {
          await post(`/api/calls/${encodeURIComponent(c.id)}/cut`);
          ctx.status(t('live.done'));
          await refresh();
        } catch (err) {
          ctx.status(`${t('error')}: ${err.message}`, 'error');
        }
      },
    });
  async function refresh() {
    const r = await get(withQuery('/api/dashboard/live', { tenant: ctx.tenant }));
    const now = Date.now();
    put(
      body,
      r.calls.map((c) =>
        h(
          'tr',
          {},
          h('td', { text: fmt.time(c.startedAt) }),
          h('td', { text: ctx.tenantName(c.tenantId) }),
          h('td', { text: word('dir', c.direction) }),
          h('td', { text: c.caller ?? '' }),
          h('td', { text: c.calledE164 ?? c.called ?? '' }),
          h('td', {
            text: [c.destinationClass && word('cls', c.destinationClass), c.country].filter(Boolean).join(', '),
          }),
          h('td', { text: word('state', c.state) }),
          h('td', { class: 'num', text: fmt.duration(now - (c.answeredAt ?? c.startedAt)) }),
          h('td', {}, ctx.canWrite ? cutButton(c) : null),
        ),
      ),
    );
    put(count, r.total ? t('live.count', { n: fmt.num(r.total) }) : t('live.none'));
  }
  const head = [
    'calls.time',
    'calls.site',
    'calls.direction',
    'calls.caller',
    'calls.called',
    'calls.dest',
    'live.state',
    'live.duration',
    'live.action',
  ];
  const node = h(
    'section',
    {},
    h('h1', { text: t('nav.live') }),
    count,
    table(
      'calls',
      head.map((k) => t(k)),
      body,
    ),
  );
  return { node, stop: every(2000, refresh) };
}
