// Dashboard: calls up now, today's calls, refusals, cuts and estimated spend, calls and spend per hour over the
// last 7 days, open incidents first. Polled every 3 seconds while the page is shown.
import { h, put, every } from '../dom.js';
import { get, withQuery } from '../api.js';
import { t, fmt, word } from '../i18n.js';
import { hourChart } from '../chart.js';

function tile(label, value, kind = '') {
  return h(
    'div',
    { class: `tile ${kind}` },
    h('span', { class: 'tile-label', text: label }),
    h('strong', { class: 'tile-value', text: value }),
  );
}

export function incidentLine(a, ctx) {
  return h(
    'li',
    { class: `incident sev-${a.severity}${a.acknowledgedAt ? ' done' : ''}` },
    h('span', { class: `badge sev-${a.severity}`, text: word('severity', a.severity) }),
    ' ',
    h('a', { href: `#/incidents?id=${encodeURIComponent(a.id)}`, text: a.title }),
    h('small', {
      class: 'muted',
      text: ` · ${ctx.tenantName(a.tenantId)} · ${fmt.dateTime(a.lastAt)}${a.count > 1 ? ` · ${t('incident.events', { n: a.count })}` : ''}${a.acknowledgedAt ? ` · ${t('incident.acked')}` : ''}`,
    }),
  );
}

export function render(ctx) {
  const tiles = h('div', { class: 'tiles', 'aria-live': 'polite' });
  const chart = h('div', { class: 'chart-box' });
  const list = h('ul', { class: 'incidents' });
  const note = h('p', { class: 'muted' });
  const node = h(
    'section',
    {},
    h('h1', { text: t('nav.dashboard') }),
    tiles,
    h('h2', { text: t('dash.chart') }),
    h(
      'p',
      { class: 'legend' },
      h('span', { class: 'key ok' }),
      t('dash.legend.calls'),
      ' ',
      h('span', { class: 'key bad' }),
      t('dash.legend.refused'),
      ' ',
      h('span', { class: 'key spend' }),
      t('dash.legend.spend'),
    ),
    chart,
    h('h2', {}, t('dash.incidents'), ' ', h('a', { href: '#/incidents', class: 'small', text: t('dash.all') })),
    list,
    note,
  );
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const stop = every(3000, async () => {
    let d;
    try {
      d = await get(withQuery('/api/dashboard', { tenant: ctx.tenant, since: midnight.getTime() }));
    } catch (err) {
      put(note, `${t('error')}: ${err.message}`);
      throw err;
    }
    const currency = d.currencies.length === 1 ? d.currencies[0] : undefined;
    put(
      tiles,
      tile(t('dash.live'), fmt.num(d.live), 'live'),
      tile(t('dash.today'), fmt.num(d.today.calls)),
      tile(t('dash.refused'), fmt.num(d.today.refused), d.today.refused ? 'bad' : ''),
      tile(t('dash.cut'), fmt.num(d.today.cut), d.today.cut ? 'bad' : ''),
      tile(t('dash.spend'), fmt.money(d.today.spend, currency)),
      tile(t('dash.open'), fmt.num(d.openIncidents), d.openIncidents ? 'warn' : ''),
      d.quarantines ? tile(t('dash.quarantines'), fmt.num(d.quarantines), 'bad') : null,
    );
    put(chart, hourChart(d.hours, currency));
    put(
      list,
      d.incidents.length
        ? d.incidents.map((a) => incidentLine(a, ctx))
        : h('li', { class: 'muted', text: t('dash.none') }),
    );
    put(note, `${t('dash.updated', { at: fmt.time(d.at) })}${d.truncated ? ` · ${t('dash.truncated')}` : ''}`);
  });
  return { node, stop };
}
