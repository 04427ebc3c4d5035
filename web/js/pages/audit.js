// Audit: the latest audit report of each site (GET /api/tenants/:id/audit): how exposed the PBX is, the things to
// do now, every finding with its fix. A site never audited says so, with how to run one.
import { h, put, field } from '../dom.js';
import { get, upload, withQuery } from '../api.js';
import { t, fmt, word } from '../i18n.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

function reportView(rep, tenant) {
  const r = rep.report;
  const result = r.result ?? {};
  const findings = [...(result.findings ?? [])].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
  );
  const summary = r.summary ?? result.summary;
  const counts =
    summary?.counts ?? Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]));
  const when = r.createdAt;
  return h(
    'div',
    {},
    h('p', {
      class: 'muted',
      text: t('audit.when', {
        at: fmt.dateTime(when),
        pbx: r.pbx ?? result.pbx ?? '',
        by: r.by ?? '',
        source: r.source ?? '',
      }),
    }),
    h(
      'p',
      {},
      h('a', {
        href: `/api/tenants/${encodeURIComponent(tenant)}/audit.html`,
        target: '_blank',
        rel: 'noopener',
        text: t('audit.html'),
      }),
    ),
    summary?.level ? h('p', {}, h('strong', { text: summary.level }), ' ', summary.text ?? '') : null,
    h(
      'p',
      { class: 'counts' },
      SEVERITIES.map((s) => h('span', { class: `badge sev-${s}`, text: `${word('severity', s)}: ${counts[s] ?? 0}` })),
    ),
    summary?.now?.length
      ? h(
          'div',
          {},
          h('h3', { text: t('audit.now') }),
          h(
            'ol',
            {},
            summary.now.map((n) => h('li', {}, h('strong', { text: n.title }), ` — ${n.fix}`)),
          ),
        )
      : null,
    findings.length
      ? h(
          'details',
          {},
          h('summary', { text: t('audit.findings', { n: findings.length }) }),
          h(
            'ul',
            { class: 'plain findings' },
            findings.map((f) =>
              h(
                'li',
                {},
                h('span', { class: `badge sev-${f.severity}`, text: word('severity', f.severity) }),
                ' ',
                h('strong', { text: f.message }),
                h('br'),
                h('small', {
                  class: 'muted',
                  text: `${f.check} · ${f.recommendation ?? ''} · ${f.file ?? ''}${f.line ? `:${f.line}` : ''}${f.subject ? ` · ${f.subject}` : ''}`,
                }),
                f.fix ? h('p', { text: `${t('audit.fix')}: ${f.fix}` }) : null,
              ),
            ),
          ),
        )
      : h('p', { text: t('audit.clean') }),
  );
}

/** Uploading a configuration archive (tar, tar.gz or zip of /etc/asterisk or FreeSWITCH's conf/) to audit. */
function uploadForm(id, done) {
  const file = h('input', { type: 'file', accept: '.tar,.tar.gz,.tgz,.zip', required: true });
  const state = h('p', { class: 'muted', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', text: t('audit.upload') });
  return h(
    'form',
    {
      class: 'upload',
      onsubmit: async (e) => {
        e.preventDefault();
        const f = file.files[0];
        if (!f) return;
        button.disabled = true;
        put(state, t('audit.running'));
        try {
          await upload(withQuery(`/api/tenants/${encodeURIComponent(id)}/audit`, { name: f.name }), f);
          put(state);
          done();
        } catch (err) {
          put(state, h('span', { class: 'issue', text: `${t('error')}: ${err.message}` }));
        } finally {
          button.disabled = false;
        }
      },
    },
    field(t('audit.file'), file, t('audit.file.hint')),
    button,
    state,
  );
}

export function render(ctx) {
  const list = h('div');
  const ids = ctx.tenant ? [ctx.tenant] : ctx.tenants.map((x) => x.id);
  for (const id of ids) {
    const box = h('div', {}, h('p', { class: 'muted', text: t('loading') }));
    const load = () =>
      get(`/api/tenants/${encodeURIComponent(id)}/audit`)
        .then((rep) => put(box, reportView(rep, id)))
        .catch((err) =>
          put(
            box,
            err.status === 404
              ? h('p', {}, t('audit.none'), ' ', h('code', { text: 'tollguard audit asterisk /etc/asterisk' }))
              : h('p', { class: 'note error', text: `${t('error')}: ${err.message}` }),
          ),
        );
    list.append(
      h(
        'article',
        { class: 'card' },
        h('h2', { text: ctx.tenantName(id) }),
        box,
        ctx.canWrite ? uploadForm(id, load) : null,
      ),
    );
    load();
  }
  return {
    node: h('section', {}, h('h1', { text: t('nav.audit') }), h('p', { class: 'muted', text: t('audit.intro') }), list),
  };
}
