// French and English: one dictionary per language, every string of the console through `t`. The language is the
// one chosen before (kept in this browser), else the browser's first language we have, else English. Only the
// language shown is loaded.
const DICTS = { en: undefined, fr: undefined };
let dict = {};
export const LANGS = [
  ['fr', 'Français'],
  ['en', 'English'],
];

function pick() {
  try {
    const saved = localStorage.getItem('tg-lang');
    if (saved && saved in DICTS) return saved;
  } catch {
    // storage refused: the browser's language
  }
  for (const l of navigator.languages ?? [navigator.language]) {
    const k = String(l).slice(0, 2).toLowerCase();
    if (k in DICTS) return k;
  }
  return 'en';
}

let lang = pick();

export function currentLang() {
  return lang;
}

/** Loads the dictionary of `l` and shows it from now on. */
export async function setLang(l) {
  if (!(l in DICTS)) return;
  DICTS[l] ??= (await import(`./lang/${l}.js`)).default;
  dict = DICTS[l];
  lang = l;
  try {
    localStorage.setItem('tg-lang', l);
  } catch {
    // not remembered; still switched
  }
  document.documentElement.lang = l;
}

/** The text of `key` in the current language, `{name}` replaced by `vars.name` (the key itself if missing). */
export function t(key, vars) {
  const text = dict[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k]))) : text;
}

/** The word for a value of a known set (`cls.premium`, `action.reject`), or the value itself. */
export function word(group, value) {
  const k = `${group}.${value}`;
  return dict[k] ?? String(value ?? '');
}

const nf = () => new Intl.NumberFormat(lang);
export const fmt = {
  num: (n) => nf().format(n ?? 0),
  money: (n, currency) =>
    currency
      ? new Intl.NumberFormat(lang, { style: 'currency', currency }).format(n ?? 0)
      : new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n ?? 0),
  dateTime: (ms) =>
    ms ? new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(ms)) : '',
  time: (ms) => (ms ? new Intl.DateTimeFormat(lang, { timeStyle: 'medium' }).format(new Date(ms)) : ''),
  day: (ms) => new Intl.DateTimeFormat(lang, { weekday: 'short', day: 'numeric' }).format(new Date(ms)),
  duration: (ms) => {
    const s = Math.max(0, Math.round(ms / 1000));
    const hh = Math.floor(s / 3600);
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
  },
};
