// Login: username and password; a wrong pair says so, and the third wrong one in a row locks the account for a
// while (R-LOCKOUT): the page then says until when.
import { h, field } from '../dom.js';
import { api } from '../api.js';
import { t, fmt } from '../i18n.js';

export function render({ onLogin }) {
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'note error', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', class: 'primary', text: t('login.submit') });
  const form = h(
    'form',
    {
      class: 'login card',
      onsubmit: async (e) => {
        e.preventDefault();
        error.hidden = true;
        button.disabled = true;
        try {
          await api('POST', '/api/login', { username: user.value, password: pass.value }, { quiet401: true });
          await onLogin();
        } catch (err) {
          pass.value = '';
          error.textContent =
            err.status === 423
              ? t('login.locked', { until: fmt.dateTime(err.body?.until) })
              : err.status === 401
                ? t('login.bad')
                : `${t('error')}: ${err.message}`;
          error.hidden = false;
          pass.focus();
        } finally {
          button.disabled = false;
        }
      },
    },
    h('h1', { text: t('login.title') }),
    h('p', { class: 'muted', text: t('login.intro') }),
    field(t('login.username'), user),
    field(t('login.password'), pass),
    error,
    button,
  );
  return { node: h('section', { class: 'center' }, form) };
}
