// Incidents: what happened in plain words, the calls involved with their signals, what it cost or would have
// cost; acknowledge one; quarantines in force and releasing them.
import { h, put, every } from '../dom.js';
import { get, post, withQuery } from '../api.js';
import { t, fmt, word } from '../i18n.js';
import { decisionView, callSummary } from './explain.js';

function costLine(cost) {
  if (!cost) return null;
  return h(
    'p',
    { class: 'cost' },
    t('incident.cost', {
      spent: fmt.money(cost.spent, cost.currency),
      perHour: fmt.money(cost.perHour, cost.currency),
    }),
  );
}

function callsOf(a) {
  const box = h('div', { class: 'calls-of' });
  const details = h(
    'details',
    {
      ontoggle: async () => {
        if (!details.open || box.childElementCount) return;
        put(box, h('p', { class: 'muted', text: t('loading') }));
        const items = await Promise.all(
          a.callIds.slice(0, 20).map((id) =>
            get(`/api/calls/${encodeURIComponent(id)}`)
              .then((r) => h('li', {}, h('p', { text: callSummary(r.call) }), decisionView(r.call.decision)))
              .catch(() => h('li', { class: 'muted', text: t('incident.callgone', { id }) })),
          ),
        );
        put(
          box,
          h('ul', { class: 'plain' }, items),
          a.callIds.length > 20
            ? h('p', { class: 'muted', text: t('incident.more', { n: a.callIds.length - 20 }) })
            : null,
        );
      },
    },
    h('summary', { text: t('incident.calls', { n: a.callIds.length }) }),
    box,
  );
  return a.callIds.length ? details : null;
}

function card(a, ctx, refresh, focus) {
  const ack =
    ctx.canWrite && !a.acknowledgedAt
      ? h('button', {
          type: 'button',
          class: 'primary',
          text: t('incident.ack'),
          onclick: async (e) => {
            e.target.disabled = true;
            try {
              await post(`/api/alerts/${encodeURIComponent(a.id)}/acknowledge`);
              ctx.status(t('incident.acked.done'));
              await refresh();
            } catch (err) {
              ctx.status(`${t('error')}: ${err.message}`, 'error');
              e.target.disabled = false;
            }
          },
        })
      : null;
  return h(
    'article',
    {
      class: `card incident sev-${a.severity}${a.acknowledgedAt ? ' done' : ''}${focus ? ' focus' : ''}`,
      id: `incident-${a.id}`,
      'data-incident': a.id,
    },
    h(
      'header',
      {},
      h('span', { class: `badge sev-${a.severity}`, text: word('severity', a.severity) }),
      ' ',
      h('h2', { class: 'inline', text: a.title }),
    ),
    h('p', {
      class: 'muted',
      text: `${ctx.tenantName(a.tenantId)} · ${t('incident.when', { first: fmt.dateTime(a.firstAt), last: fmt.dateTime(a.lastAt) })} · ${t('incident.events', { n: a.count })}`,
    }),
    costLine(a.cost),
    h('pre', { class: 'body', text: a.body }),
    callsOf(a),
    h(
      'p',
      {},
      a.acknowledgedAt
        ? h('span', {
            class: 'muted',
            text: t('incident.ackby', { by: a.acknowledgedBy ?? '', at: fmt.dateTime(a.acknowledgedAt) }),
          })
        : ack,
    ),
  );
}

function quarantineList(qs, ctx, refresh) {
  if (!qs.length) return null;
  return h(
    'section',
    { class: 'card quarantine' },
    h('h2', { text: t('q.title') }),
    h('p', { text: t('q.intro') }),
    h(
      'ul',
      { class: 'plain' },
      qs.map((q) =>
        h(
          'li',
          {},
          h('strong', { text: q.extension ? t('q.ext', { ext: q.extension }) : t('q.site') }),
          ` · ${ctx.tenantName(q.tenantId)} · ${fmt.dateTime(q.since)} · ${q.message} `,
          ctx.canWrite
            ? h('button', {
                type: 'button',
                text: t('q.release'),
                onclick: async () => {
                  try {
                    await post('/api/quarantines/release', {
                      tenant: q.tenantId,
                      ...(q.extension ? { extension: q.extension } : {}),
                    });
                    ctx.status(t('q.released'));
                    await refresh();
                  } catch (err) {
                    ctx.status(`${t('error')}: ${err.message}`, 'error');
                  }
                },
              })
            : null,
        ),
      ),
    ),
  );
}

export function render(ctx) {
  const focusId = new URLSearchParams(location.hash.split('?')[1] ?? '').get('id');
  let open = focusId ? '' : 'true';
  const quarantines = h('div');
  const list = h('div', { class: 'list' });
  const filter = h(
    'div',
    { class: 'tabs', role: 'group', 'aria-label': t('incident.filter') },
    [
      ['true', t('incident.open')],
      ['', t('incident.all')],
    ].map(([v, label]) =>
      h('button', {
        type: 'button',
        'aria-pressed': String(open === v),
        text: label,
        onclick: (e) => {
          open = v;
          for (const b of filter.children) b.setAttribute('aria-pressed', String(b === e.target));
          refresh();
        },
      }),
    ),
  );
  let busy = false;
  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      const [alerts, qs] = await Promise.all([
        get(withQuery('/api/alerts', { open, tenant: ctx.tenant, limit: 200 })),
        get(withQuery('/api/quarantines', { tenant: ctx.tenant })).catch(() => ({ quarantines: [] })),
      ]);
      put(quarantines, quarantineList(qs.quarantines ?? [], ctx, refresh));
      // Cards already shown keep their opened details; new ones are added in order.
      const shown = new Map([...list.children].map((c) => [c.dataset.incident, c]));
      const cards = alerts.alerts.map((a) => {
        const old = shown.get(a.id);
        if (old && old.dataset.v === `${a.count}/${a.acknowledgedAt ?? ''}`) return old;
        const c = card(a, ctx, refresh, a.id === focusId);
        c.dataset.v = `${a.count}/${a.acknowledgedAt ?? ''}`;
        return c;
      });
      put(
        list,
        cards.length ? cards : h('p', { class: 'muted', text: open ? t('incident.noneopen') : t('incident.none') }),
      );
    } finally {
      busy = false;
    }
  }
  const stop = every(5000, refresh);
  return { node: h('section', {}, h('h1', { text: t('nav.incidents') }), quarantines, filter, list), stop };
}
