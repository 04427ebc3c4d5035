// The console: who is logged in, the header (pages, site, language, logout), and the page of the URL's hash
// (#/dashboard, #/calls…). Each page is a module whose `render` returns its element and, when it polls, a stop.
import { h, put, select } from './dom.js';
import { get, post, setCsrf, onSessionExpired } from './api.js';
import { t, LANGS, currentLang, setLang } from './i18n.js';
import * as login from './pages/login.js';

// Pages are loaded when first shown.
const PAGES = {
  dashboard: () => import('./pages/dashboard.js'),
  incidents: () => import('./pages/incidents.js'),
  calls: () => import('./pages/calls.js'),
  live: () => import('./pages/live.js'),
  policy: () => import('./pages/policy.js'),
  audit: () => import('./pages/audit.js'),
};
let shown = 0;

const state = { me: undefined, tenant: '', stop: undefined };

function status(text, kind = 'info') {
  const el = document.getElementById('status');
  put(el, text ? h('p', { class: `note ${kind}`, text }) : null);
  if (text && kind !== 'error') setTimeout(() => el.textContent === text && put(el), 6000);
}

/** What every page is given. */
function context() {
  const me = state.me;
  return {
    me,
    tenant: state.tenant,
    tenants: me.tenants,
    canWrite: me.account.role !== 'viewer',
    status,
    tenantName: (id) => me.tenants.find((x) => x.id === id)?.name ?? id,
  };
}

function pageName() {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0];
  return PAGES[name] ? name : 'dashboard';
}

function header() {
  const top = document.getElementById('top');
  const langs = h(
    'div',
    { class: 'langs', role: 'group', 'aria-label': t('lang.label') },
    LANGS.map(([code, name]) =>
      h('button', {
        type: 'button',
        lang: code,
        'aria-pressed': String(code === currentLang()),
        title: name,
        text: code.toUpperCase(),
        onclick: async () => {
          await setLang(code);
          show();
        },
      }),
    ),
  );
  const brand = h('a', { class: 'brand', href: '#/dashboard', text: 'Tollguard' });
  if (!state.me) return put(top, h('div', { class: 'bar' }, brand, h('div', { class: 'tools' }, langs)));
  const current = pageName();
  const nav = h(
    'nav',
    { 'aria-label': t('nav.label') },
    h(
      'ul',
      {},
      Object.keys(PAGES).map((p) =>
        h(
          'li',
          {},
          h('a', { href: `#/${p}`, 'aria-current': p === current ? 'page' : undefined, text: t(`nav.${p}`) }),
        ),
      ),
    ),
  );
  const tenants = state.me.tenants;
  const site =
    tenants.length > 1
      ? select([['', t('site.all')], ...tenants.map((x) => [x.id, x.name])], state.tenant, {
          id: 'site',
          'aria-label': t('site.label'),
          onchange: (e) => {
            state.tenant = e.target.value;
            sessionStorage.setItem('tg-site', state.tenant);
            show();
          },
        })
      : h('span', { class: 'muted', text: tenants[0]?.name ?? '' });
  const who = h('span', { class: 'who', text: `${state.me.account.username} · ${t(`role.${state.me.account.role}`)}` });
  const out = h('button', { type: 'button', class: 'link', text: t('logout'), onclick: logout });
  put(top, h('div', { class: 'bar' }, brand, nav, h('div', { class: 'tools' }, site, langs, who, out)));
}

async function show() {
  const seq = ++shown;
  state.stop?.();
  state.stop = undefined;
  document.documentElement.lang = currentLang();
  const main = document.getElementById('main');
  if (!state.me) {
    header();
    document.title = `${t('login.title')} · Tollguard`;
    put(main, login.render({ onLogin: loggedIn, status }).node);
    return;
  }
  const name = pageName();
  header();
  document.title = `${t(`nav.${name}`)} · Tollguard`;
  const module = await PAGES[name]();
  // Another page was asked for while this one loaded: that one is shown.
  if (seq !== shown) return;
  const page = module.render(context());
  put(main, page.node);
  state.stop = page.stop;
}

async function loggedIn() {
  try {
    const me = await get('/api/me', { quiet401: true });
    state.me = me;
    setCsrf(me.csrfToken);
    const saved = sessionStorage.getItem('tg-site') ?? '';
    state.tenant = me.tenants.some((x) => x.id === saved) ? saved : me.tenants.length === 1 ? me.tenants[0].id : '';
  } catch {
    state.me = undefined;
  }
  show();
  document.getElementById('main').focus();
}

async function logout() {
  try {
    await post('/api/logout');
  } catch {
    // the session is gone either way
  }
  state.me = undefined;
  setCsrf('');
  location.hash = '#/dashboard';
  show();
}

onSessionExpired(() => {
  if (!state.me) return;
  state.me = undefined;
  status(t('session.expired'), 'error');
  show();
});

window.addEventListener('hashchange', () => {
  show();
  document.getElementById('main').focus();
});
setLang(currentLang()).then(loggedIn);
