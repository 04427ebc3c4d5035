// Call log: filters, each call with its decision and the explanation one click away, more pages, the same search as
// a CSV file.
import { h, table, put, field, select } from '../dom.js';
import { get, withQuery } from '../api.js';
import { t, fmt, word } from '../i18n.js';
import { decisionView } from './explain.js';

const DIRECTIONS = ['outbound', 'inbound'];
const ACTIONS = ['allow', 'alert', 'reject', 'cut', 'quarantine'];
const DISPOSITIONS = ['setup', 'answered', 'completed', 'unanswered', 'rejected', 'cut', 'lost-end'];
const RULES = [
  'lists',
  'business-hours',
  'destination-class',
  'concurrency',
  'velocity',
  'sequential-dialling',
  'max-duration',
  'spend-cap',
  'forwarded-call',
  'hairpin',
  'new-destination',
  'quarantine',
  'engine',
  'manual',
];
const PAGE = 50;

const opts = (group, values) => [['', t('calls.any')], ...values.map((v) => [v, word(group, v)])];

function row(c, ctx) {
  const why = h('tr', { class: 'why', hidden: true }, h('td', { colspan: 9 }, decisionView(c.decision)));
  const button = h('button', {
    type: 'button',
    class: 'link',
    'aria-expanded': 'false',
    text: t('calls.why'),
    onclick: () => {
      why.hidden = !why.hidden;
      button.setAttribute('aria-expanded', String(!why.hidden));
    },
  });
  const monitor = c.decision && c.decision.enforced === false && c.action && c.action !== 'allow';
  return [
    h(
      'tr',
      { class: `disp-${c.disposition}` },
      h('td', { text: fmt.dateTime(c.startedAt) }),
      h('td', { text: ctx.tenantName(c.tenantId) }),
      h('td', { text: word('dir', c.direction) }),
      h('td', { text: c.caller }),
      h('td', { text: c.calledE164 ?? c.called }),
      h('td', { text: [c.destinationClass && word('cls', c.destinationClass), c.country].filter(Boolean).join(', ') }),
      h(
        'td',
        {},
        h('span', { class: `badge disp-${c.disposition}`, text: word('disp', c.disposition) }),
        monitor
          ? h('small', { class: 'muted', text: ` ${t('calls.monitor', { action: word('action', c.action) })}` })
          : null,
      ),
      h('td', { class: 'num', text: c.estimatedCost !== undefined ? fmt.money(c.estimatedCost, c.currency) : '' }),
      h('td', {}, button),
    ),
    why,
  ];
}

export function render(ctx) {
  const f = {
    number: h('input', { name: 'number', type: 'search', inputmode: 'tel' }),
    direction: select(opts('dir', DIRECTIONS), '', { name: 'direction' }),
    action: select(opts('action', ACTIONS), '', { name: 'action' }),
    disposition: select(opts('disp', DISPOSITIONS), '', { name: 'disposition' }),
    rule: select([['', t('calls.any')], ...RULES.map((r) => [r, r])], '', { name: 'rule' }),
    from: h('input', { name: 'from', type: 'date' }),
    to: h('input', { name: 'to', type: 'date' }),
  };
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true, text: t('calls.more') });
  const csv = h('a', { class: 'button', download: 'tollguard-calls.csv', text: t('calls.csv') });
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  let offset = 0;
  let shown = 0;
  // A link from an alert or a digest names a call (?id=) or an exact window (?tenant=&from=&to=, ISO times): it is
  // shown as given until the form is used.
  const link = new URLSearchParams(location.hash.split('?')[1] ?? '');
  let linked = link.has('id') || link.has('from') || link.has('to') || link.has('tenant');
  const params = () => {
    if (linked) {
      const p = { tenant: link.get('tenant') || ctx.tenant };
      for (const k of ['from', 'to']) {
        const v = link.get(k);
        if (v) p[k] = Number.isFinite(Date.parse(v)) ? Date.parse(v) : v;
      }
      return p;
    }
    const p = { tenant: ctx.tenant };
    for (const [k, el] of Object.entries(f)) if (el.value) p[k] = el.value;
    // A day picked as "to" means up to the end of that day, in the browser's zone; "from" its start.
    if (p.from) p.from = new Date(`${p.from}T00:00:00`).getTime();
    if (p.to) p.to = new Date(`${p.to}T00:00:00`).getTime() + 86_400_000;
    return p;
  };
  async function load(reset) {
    if (reset) {
      offset = 0;
      shown = 0;
      put(body);
    }
    csv.href = withQuery('/api/calls', { ...params(), format: 'csv' });
    try {
      if (linked && link.get('id')) {
        const { call } = await get(`/api/calls/${encodeURIComponent(link.get('id'))}`);
        body.append(...row(call, ctx));
        shown = 1;
        more.hidden = true;
        put(count, t('calls.count', { n: fmt.num(1) }));
        return;
      }
      const r = await get(withQuery('/api/calls', { ...params(), limit: PAGE, offset }));
      for (const c of r.calls) body.append(...row(c, ctx));
      shown += r.calls.length;
      offset = r.nextOffset ?? offset + r.calls.length;
      more.hidden = r.nextOffset === undefined;
      put(count, shown ? t('calls.count', { n: fmt.num(shown) }) : t('calls.none'));
    } catch (err) {
      put(count, `${t('error')}: ${err.message}`);
    }
  }
  more.onclick = () => load(false);
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      onsubmit: (e) => {
        e.preventDefault();
        linked = false;
        load(true);
      },
    },
    field(t('calls.number'), f.number),
    field(t('calls.direction'), f.direction),
    field(t('calls.action'), f.action),
    field(t('calls.disposition'), f.disposition),
    field(t('calls.rule'), f.rule),
    field(t('calls.from'), f.from),
    field(t('calls.to'), f.to),
    h(
      'div',
      { class: 'field actions' },
      h('button', { type: 'submit', class: 'primary', text: t('calls.search') }),
      csv,
    ),
  );
  const head = [
    'calls.time',
    'calls.site',
    'calls.direction',
    'calls.caller',
    'calls.called',
    'calls.dest',
    'calls.outcome',
    'calls.cost',
    'calls.explain',
  ];
  const node = h(
    'section',
    {},
    h('h1', { text: t('nav.calls') }),
    form,
    count,
    table(
      'calls',
      head.map((k) => t(k)),
      body,
    ),
    more,
  );
  load(true);
  return { node };
}
