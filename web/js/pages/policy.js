// Policy: the tenant's rules as a form a non-specialist reads (what each kind of number may do by day and by night,
// opening hours and closures, calls at once, spend caps, allow and block lists), monitor or enforce. Every change is
// checked as it is typed; before it is applied, a replay of last week's calls says what it would have refused.
import { h, put, field, select, debounce } from '../dom.js';
import { get, post, putJson } from '../api.js';
import { t, fmt, word } from '../i18n.js';

const CLASSES = [
  'national',
  'mobile',
  'tollfree',
  'international',
  'premium',
  'shared-cost',
  'satellite',
  'high-risk',
  'unknown',
];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CLASS_ACTIONS = ['allow', 'alert', 'reject'];
const WINDOWS = ['hour', 'day', 'night', 'weekend'];
const WEEK = 7 * 86_400_000;

const clone = (o) => JSON.parse(JSON.stringify(o));
const lines = (text) =>
  text
    .split(/[\n,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const numberOrNull = (v) => (v.trim() === '' ? null : Number.isFinite(Number(v)) ? Number(v) : v);

/** The form of one policy; `read()` gives the policy it shows now. */
function policyForm(policy, onChange) {
  const p = clone(policy);
  const readers = [];
  // `path` (a string, or a function for rows that move) names the field in the policy, as issues name it.
  const bind = (el, path, apply) => {
    const where = typeof path === 'function' ? path : () => path;
    el.dataset.path = where();
    el.addEventListener('input', onChange);
    el.addEventListener('change', onChange);
    readers.push(() => {
      el.dataset.path = where();
      apply(el);
    });
    return el;
  };
  const rule = (id) => (p.rules[id] === false ? undefined : (p.rules[id] ??= {}));
  const off = (id) => h('p', { class: 'muted', text: t('pol.off', { rule: id }) });
  const sections = [];

  // Monitor or enforce.
  const mode = h(
    'fieldset',
    { class: 'mode' },
    h('legend', { text: t('pol.mode') }),
    ['enforce', 'monitor'].map((m) => {
      const r = bind(
        h('input', { type: 'radio', name: 'mode', value: m, checked: p.mode === m }),
        'mode',
        (el) => el.checked && (p.mode = m),
      );
      return h(
        'label',
        { class: 'radio' },
        r,
        h(
          'span',
          {},
          h('strong', { text: t(`pol.mode.${m}`) }),
          h('br'),
          h('small', { class: 'muted', text: t(`pol.mode.${m}.hint`) }),
        ),
      );
    }),
  );
  sections.push(mode);

  // What each class of number may do.
  const dc = rule('destination-class');
  if (dc) {
    dc.open ??= {};
    dc.closed ??= {};
    const rows = CLASSES.map((c) => {
      const actions = (v) => [...new Set([...CLASS_ACTIONS, v].filter(Boolean))].map((a) => [a, word('action', a)]);
      const day = bind(
        select(actions(dc.open[c] ?? 'allow'), dc.open[c] ?? 'allow', {
          'aria-label': `${word('cls', c)} · ${t('pol.day')}`,
        }),
        `rules.destination-class.open.${c}`,
        (el) => (dc.open[c] = el.value),
      );
      const night = bind(
        select([['', t('pol.same')], ...actions(dc.closed[c])], dc.closed[c] ?? '', {
          'aria-label': `${word('cls', c)} · ${t('pol.night')}`,
        }),
        `rules.destination-class.closed.${c}`,
        (el) => (el.value ? (dc.closed[c] = el.value) : delete dc.closed[c]),
      );
      return h(
        'tr',
        {},
        h('th', { scope: 'row' }, word('cls', c), h('br'), h('small', { class: 'muted', text: t(`cls.${c}.hint`) })),
        h('td', {}, day),
        h('td', {}, night),
      );
    });
    sections.push(
      h(
        'fieldset',
        {},
        h('legend', { text: t('pol.classes') }),
        h('p', { class: 'muted', text: t('pol.classes.hint') }),
        h(
          'table',
          { class: 'form-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col', text: t('pol.class') }),
              h('th', { scope: 'col', text: t('pol.day') }),
              h('th', { scope: 'col', text: t('pol.night') }),
            ),
          ),
          h('tbody', {}, rows),
        ),
        dc.groups?.length
          ? h('p', {
              class: 'muted',
              text: t('pol.groups', { n: dc.groups.length, names: dc.groups.map((g) => g.name).join(', ') }),
            })
          : null,
      ),
    );
  } else sections.push(h('fieldset', {}, h('legend', { text: t('pol.classes') }), off('destination-class')));

  // Opening hours, holidays, closures.
  const bh = rule('business-hours');
  if (bh) {
    bh.schedule ??= {};
    bh.closures ??= [];
    const days = DAYS.map((d) =>
      field(
        word('day', d),
        bind(
          h('input', { value: (bh.schedule[d] ?? []).join(', '), placeholder: t('pol.closed'), size: 24 }),
          `rules.business-hours.schedule.${d}`,
          (el) => (bh.schedule[d] = lines(el.value)),
        ),
      ),
    );
    const holidays = bind(
      h('input', { type: 'checkbox', checked: bh.publicHolidays !== false }),
      'rules.business-hours.publicHolidays',
      (el) => (bh.publicHolidays = el.checked),
    );
    const closures = h('div', { class: 'rows' });
    const closureRow = (c) => {
      const row = h('div', { class: 'row' });
      const i = () => [...closures.children].indexOf(row);
      const from = bind(
        h('input', { type: 'date', value: c.from ?? '' }),
        () => `rules.business-hours.closures.${i()}.from`,
        (el) => (bh.closures[i()].from = el.value),
      );
      const to = bind(
        h('input', { type: 'date', value: c.to ?? '' }),
        () => `rules.business-hours.closures.${i()}.to`,
        (el) => (el.value ? (bh.closures[i()].to = el.value) : delete bh.closures[i()].to),
      );
      const label = bind(
        h('input', { value: c.label ?? '' }),
        () => `rules.business-hours.closures.${i()}.label`,
        (el) => (bh.closures[i()].label = el.value || 'closure'),
      );
      const remove = h('button', {
        type: 'button',
        text: t('pol.remove'),
        onclick: () => {
          bh.closures.splice(i(), 1);
          row.remove();
          onChange();
        },
      });
      return put(row, field(t('pol.from'), from), field(t('pol.to'), to), field(t('pol.label'), label), remove);
    };
    for (const c of bh.closures) closures.append(closureRow(c));
    const add = h('button', {
      type: 'button',
      text: t('pol.closure.add'),
      onclick: () => {
        const c = { from: new Date().toISOString().slice(0, 10), label: 'closure' };
        bh.closures.push(c);
        closures.append(closureRow(c));
        onChange();
      },
    });
    sections.push(
      h(
        'fieldset',
        {},
        h('legend', { text: t('pol.hours') }),
        h('p', { class: 'muted', text: t('pol.hours.hint', { tz: p.timezone ?? t('pol.tz.default') }) }),
        h('div', { class: 'grid7' }, days),
        h('label', { class: 'check' }, holidays, ' ', t('pol.holidays', { country: p.country })),
        h('h3', { text: t('pol.closures') }),
        closures,
        add,
      ),
    );
  } else sections.push(h('fieldset', {}, h('legend', { text: t('pol.hours') }), off('business-hours')));

  // Calls at once.
  const cc = rule('concurrency');
  if (cc) {
    const limits = ['open', 'closed'].map((when) => {
      const l = (cc[when] ??= {});
      l.classes ??= {};
      const num = (key, label) =>
        field(
          label,
          bind(
            h('input', { type: 'number', min: 0, step: 1, value: l[key] ?? '', placeholder: t('pol.nolimit') }),
            `rules.concurrency.${when}.${key}`,
            (el) => (l[key] = numberOrNull(el.value)),
          ),
        );
      const intl = field(
        t('pol.conc.intl'),
        bind(
          h('input', {
            type: 'number',
            min: 0,
            step: 1,
            value: l.classes.international ?? '',
            placeholder: t('pol.nolimit'),
          }),
          `rules.concurrency.${when}.classes`,
          (el) => {
            const v = numberOrNull(el.value);
            if (v === null) delete l.classes.international;
            else l.classes.international = v;
          },
        ),
      );
      return h(
        'fieldset',
        { class: 'col' },
        h('legend', { text: t(when === 'open' ? 'pol.day' : 'pol.night') }),
        num('tenant', t('pol.conc.tenant')),
        num('extension', t('pol.conc.ext')),
        intl,
      );
    });
    sections.push(
      h(
        'fieldset',
        {},
        h('legend', { text: t('pol.conc') }),
        h('p', { class: 'muted', text: t('pol.conc.hint') }),
        h('div', { class: 'cols' }, limits),
      ),
    );
  } else sections.push(h('fieldset', {}, h('legend', { text: t('pol.conc') }), off('concurrency')));

  // Spend caps.
  const sc = rule('spend-cap');
  if (sc) {
    sc.caps ??= [];
    const caps = h('div', { class: 'rows' });
    const capRow = (c) => {
      const row = h('div', { class: 'row' });
      const i = () => [...caps.children].indexOf(row);
      const path = (k) => () => `rules.spend-cap.caps.${i()}${k ? `.${k}` : ''}`;
      const scope = bind(
        select(
          ['tenant', 'extension'].map((v) => [v, t(`pol.scope.${v}`)]),
          c.scope,
        ),
        path('scope'),
        (el) => (sc.caps[i()].scope = el.value),
      );
      const win = bind(
        select(
          WINDOWS.map((v) => [v, t(`pol.window.${v}`)]),
          c.window,
        ),
        path('window'),
        (el) => (sc.caps[i()].window = el.value),
      );
      const alertAt = bind(
        h('input', { type: 'number', min: 0, step: 'any', value: c.alertAt }),
        path('alertAt'),
        (el) => (sc.caps[i()].alertAt = numberOrNull(el.value) ?? 0),
      );
      const limit = bind(
        h('input', { type: 'number', min: 0, step: 'any', value: c.limit }),
        path(''),
        (el) => (sc.caps[i()].limit = numberOrNull(el.value) ?? 0),
      );
      const remove = h('button', {
        type: 'button',
        text: t('pol.remove'),
        onclick: () => {
          sc.caps.splice(i(), 1);
          row.remove();
          onChange();
        },
      });
      return put(
        row,
        field(t('pol.scope'), scope),
        field(t('pol.window'), win),
        field(t('pol.alertAt', { cur: p.currency }), alertAt),
        field(t('pol.limit', { cur: p.currency }), limit),
        remove,
      );
    };
    for (const c of sc.caps) caps.append(capRow(c));
    const add = h('button', {
      type: 'button',
      text: t('pol.cap.add'),
      onclick: () => {
        const c = { scope: 'tenant', window: 'day', alertAt: 50, limit: 100 };
        sc.caps.push(c);
        caps.append(capRow(c));
        onChange();
      },
    });
    sections.push(
      h(
        'fieldset',
        {},
        h('legend', { text: t('pol.caps') }),
        h('p', { class: 'muted', text: t('pol.caps.hint') }),
        caps,
        add,
      ),
    );
  } else sections.push(h('fieldset', {}, h('legend', { text: t('pol.caps') }), off('spend-cap')));

  // Allow and block lists.
  const ls = rule('lists');
  if (ls) {
    const area = (key) =>
      field(
        t(`pol.list.${key}`),
        bind(
          h('textarea', { rows: 3, cols: 30, text: (ls[key] ?? []).join('\n') }),
          `rules.lists.${key}`,
          (el) => (ls[key] = lines(el.value)),
        ),
        t('pol.list.hint'),
      );
    sections.push(
      h(
        'fieldset',
        {},
        h('legend', { text: t('pol.lists') }),
        h('div', { class: 'cols' }, area('block'), area('allow')),
      ),
    );
  }

  return {
    node: h('div', { class: 'policy-form' }, sections),
    read() {
      for (const r of readers) r();
      return clone(p);
    },
  };
}

/** Marks the fields an issue names (the longest path of a field that starts the issue's path), and lists them all. */
function showIssues(form, box, issues) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.issue')) el.remove();
  put(box);
  if (!issues?.length) return;
  const fields = [...form.querySelectorAll('[data-path]')];
  for (const i of issues) {
    const el = fields
      .filter((f) => i.path === f.dataset.path || i.path.startsWith(`${f.dataset.path}.`))
      .sort((a, b) => b.dataset.path.length - a.dataset.path.length)[0];
    if (el) {
      el.setAttribute('aria-invalid', 'true');
      el.after(h('small', { class: 'issue', role: 'alert', text: i.message }));
    }
  }
  put(
    box,
    h(
      'div',
      { class: 'note error' },
      h('p', { text: t('pol.invalid') }),
      h(
        'ul',
        {},
        issues.map((i) => h('li', { text: `${i.path}: ${i.message}` })),
      ),
    ),
  );
}

function replayView(r, from, to) {
  const rules = Object.entries(r.byRule ?? {}).sort((a, b) => b[1] - a[1]);
  const examples = (r.examples ?? []).slice(0, 5);
  return h(
    'div',
    { class: 'note info replay' },
    h(
      'p',
      {},
      h('strong', {
        text: t('pol.replay.result', {
          refused: fmt.num(r.refused),
          calls: fmt.num(r.calls),
          from: fmt.dateTime(from),
          to: fmt.dateTime(to),
        }),
      }),
    ),
    h('p', { text: t('pol.replay.more', { cut: fmt.num(r.cut ?? 0), alerted: fmt.num(r.alerted ?? 0) }) }),
    r.current
      ? h('p', { text: t('pol.replay.now', { refused: fmt.num(r.current.refused), changed: fmt.num(r.changed ?? 0) }) })
      : null,
    rules.length
      ? h(
          'ul',
          {},
          rules.map(([rule, n]) => h('li', { text: `${rule}: ${fmt.num(n)}` })),
        )
      : null,
    examples.length
      ? h(
          'details',
          {},
          h('summary', { text: t('pol.replay.examples') }),
          h(
            'ul',
            {},
            examples.map((e) =>
              h('li', {
                text: `${fmt.dateTime(Date.parse(e.start))} · ${e.caller} → ${e.called} · ${word('outcome', e.outcome)}${e.current ? ` (${t('pol.replay.was', { outcome: word('outcome', e.current) })})` : ''}${e.signal ? ` · ${word('signal', e.signal)}` : ''}`,
              }),
            ),
          ),
        )
      : null,
    r.note ? h('p', { class: 'muted', text: r.note }) : null,
  );
}

export function render(ctx) {
  const section = h('section', {}, h('h1', { text: t('nav.policy') }));
  let tenant = ctx.tenant || ctx.tenants[0]?.id;
  const picker =
    !ctx.tenant && ctx.tenants.length > 1
      ? field(
          t('site.label'),
          select(
            ctx.tenants.map((x) => [x.id, x.name]),
            tenant,
            { onchange: (e) => ((tenant = e.target.value), load()) },
          ),
        )
      : null;
  const body = h('div');
  section.append(picker ?? '', body);
  let replayAvailable = true;

  async function load() {
    put(body, h('p', { class: 'muted', text: t('loading') }));
    let r;
    try {
      r = await get(`/api/tenants/${encodeURIComponent(tenant)}/policy`);
      // The form shows every rule's options as they run, defaults included: a rule the file does not list is not
      // "allow everything".
      const c = await post(`/api/tenants/${encodeURIComponent(tenant)}/policy/check`, r.policy);
      if (!c.ok) throw new Error(c.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      r = { ...r, policy: c.effective };
    } catch (err) {
      return put(body, h('p', { class: 'note error', text: `${t('error')}: ${err.message}` }));
    }
    const issues = h('div', { 'aria-live': 'polite' });
    const preview = h('div', { 'aria-live': 'polite' });
    const state = h('p', { class: 'muted', 'aria-live': 'polite' });
    let valid = true;
    const check = debounce(400, async () => {
      try {
        const c = await post(`/api/tenants/${encodeURIComponent(tenant)}/policy/check`, form.read());
        valid = c.ok;
        showIssues(form.node, issues, c.ok ? [] : c.issues);
        put(state, c.ok ? t('pol.valid') : '');
      } catch (err) {
        put(state, `${t('error')}: ${err.message}`);
      }
      applyButton.disabled = !valid;
    });
    const changed = () => {
      put(preview);
      confirm.hidden = true;
      applyButton.disabled = true;
      put(state, t('pol.checking'));
      check();
    };
    const form = policyForm(r.policy, changed);
    const fieldset = h('fieldset', { class: 'bare', disabled: !ctx.canWrite }, form.node);
    const confirm = h('button', {
      type: 'button',
      class: 'danger',
      hidden: true,
      text: t('pol.apply.confirm'),
      onclick: () => apply(),
    });

    async function replay() {
      if (!replayAvailable) return undefined;
      const to = Date.now();
      const from = to - WEEK;
      put(preview, h('p', { class: 'muted', text: t('pol.replay.running') }));
      try {
        const res = await post(`/api/tenants/${encodeURIComponent(tenant)}/replay`, { policy: form.read(), from, to });
        put(preview, replayView(res, from, to));
        return res;
      } catch (err) {
        if (err.status === 429) {
          put(preview, h('p', { class: 'note', text: t('pol.replay.busy') }));
          throw err;
        }
        if (err.status === 404 && err.code !== 'TG_ERR_NOT_FOUND') {
          replayAvailable = false;
          put(preview);
          return undefined;
        }
        if (err.issues) showIssues(form.node, issues, err.issues);
        put(preview, h('p', { class: 'note error', text: `${t('error')}: ${err.message}` }));
        throw err;
      }
    }
    async function apply() {
      confirm.hidden = true;
      try {
        const res = await putJson(`/api/tenants/${encodeURIComponent(tenant)}/policy`, form.read());
        ctx.status(t('pol.applied', { at: fmt.time(Date.now()) }));
        r = res;
        await load();
      } catch (err) {
        showIssues(form.node, issues, err.issues ?? [{ path: '', message: err.message }]);
      }
    }
    const applyButton = h('button', {
      type: 'button',
      class: 'primary',
      text: t('pol.apply'),
      onclick: async () => {
        let res;
        try {
          res = await replay();
        } catch {
          return;
        }
        if (res === undefined) return apply();
        confirm.hidden = false;
        confirm.focus();
      },
    });
    const replayButton = h('button', {
      type: 'button',
      text: t('pol.replay'),
      onclick: () => replay().catch(() => {}),
    });
    put(
      body,
      h('p', {
        class: 'muted',
        text: t('pol.intro', { site: ctx.tenantName(tenant), country: r.policy.country, currency: r.policy.currency }),
      }),
      issues,
      fieldset,
      preview,
      ctx.canWrite
        ? h('div', { class: 'actions sticky' }, replayButton, applyButton, confirm, state)
        : h('p', { class: 'muted', text: t('pol.readonly') }),
    );
  }
  if (tenant) load();
  else put(body, h('p', { class: 'muted', text: t('site.none') }));
  return { node: section };
}
