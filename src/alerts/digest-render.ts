// A digest written for people, the same figures in every form: a subject, plain text (the mail's text part, chat
// messages), HTML (the mail's HTML part) and one summary line (syslog). Dates are the tenant's local ones.
import type { DestinationTotal } from '../store/ports.js';
import type { Digest } from './digest.js';
import { money } from './from-calls.js';
import { LocalClock } from '../engine/local-time.js';

const MONTHS = 'January February March April May June July August September October November December'.split(' ');
const DAYS = 'Sunday Monday Tuesday Wednesday Thursday Friday Saturday'.split(' ');

// A local date (`YYYY-MM-DD`, already in the tenant's zone) for people, `Tuesday 1 December 2026`: spelt here, not
// by Intl, whose punctuation changes between ICU versions.
function dateLabel(date: string, withYear = true): string {
  const d = new Date(`${date}T12:00:00Z`);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${withYear ? ` ${d.getUTCFullYear()}` : ''}`;
}

/** `1 December, 18:47` in the zone. */
function localTime(time: number, timeZone: string): string {
  const clock = new LocalClock(timeZone).at(time);
  const [, m, day] = clock.date.split('-').map(Number) as [number, number, number];
  const hh = String(Math.floor(clock.minute / 60)).padStart(2, '0');
  const mm = String(clock.minute % 60).padStart(2, '0');
  return `${day} ${MONTHS[m - 1]}, ${hh}:${mm}`;
}

/** "Tuesday 1 December 2026", or "Monday 23 November to Sunday 29 November 2026". */
export function periodLabel(d: Digest): string {
  if (d.period === 'day') return dateLabel(d.start);
  const last = new Date(Date.parse(`${d.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return `${dateLabel(d.start, false)} to ${dateLabel(last)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function digestSubject(d: Digest): string {
  const stopped =
    d.mode === 'monitor' ? `${d.wouldHaveStopped} would have been stopped` : `${d.refused} refused, ${d.cut} cut`;
  return (
    `[Tollguard] ${d.tenantName}: ${d.period === 'day' ? 'daily' : 'weekly'} digest, ${periodLabel(d)}: ` +
    `${plural(d.calls.total, 'call')}, ${stopped}, ${money(d.spend, d.currency)}` +
    (d.open.total ? `, ${plural(d.open.total, 'open incident')}` : '')
  );
}

/** The figures, as label and value, in the order every form shows them. */
function figures(d: Digest): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    [
      'Calls',
      `${d.calls.total} (${d.calls.outbound} outbound, ${d.calls.inbound} inbound), ${d.calls.answered} answered`,
    ],
    ['Refused at setup', String(d.refused)],
    ['Cut while running', String(d.cut)],
    ['Let through with an alert', String(d.alerted)],
  ];
  if (d.mode === 'monitor') rows.push(['Would have been refused or cut (monitor mode)', String(d.wouldHaveStopped)]);
  rows.push(
    ['Alerts', `${plural(d.incidents.active, 'incident')} (${d.incidents.opened} new)`],
    ['Estimated spend', `${money(d.spend, d.currency)} (Tollguard\u2019s estimate from its tariffs, not a bill)`],
  );
  return rows;
}

function topLists(d: Digest): Array<[string, DestinationTotal[]]> {
  return [
    ['Countries', d.top.countries],
    ['Classes', d.top.classes],
    ['Numbers', d.top.numbers],
  ];
}

/** What a person should do after reading it: always at least one line. */
function todo(d: Digest): string[] {
  const out: string[] = [];
  if (d.open.total > 0) {
    out.push(
      `Read the ${plural(d.open.total, 'open incident')} and acknowledge each once handled` +
        `${d.links ? `: ${d.links.incidents}` : ' (console, Incidents)'}.`,
    );
  }
  if (d.refused + d.cut > 0) {
    out.push(
      'Look at the refused and cut calls: each dialled something the policy forbids. If nobody placed them, an ' +
        'extension may be hijacked (change its SIP password); if they were expected, adjust the policy.',
    );
  }
  if (d.mode === 'monitor' && d.wouldHaveStopped > 0) {
    out.push(
      `This site is in monitor mode: ${plural(d.wouldHaveStopped, 'call')} would have been refused or cut. Once the ` +
        'policy fits its traffic, set policy.mode to enforce.',
    );
  }
  if (out.length === 0) out.push('Nothing to do: no call was refused or cut, and no incident is open.');
  return out;
}

function costOfIncident(i: Digest['open']['list'][number]): string {
  return i.cost
    ? `; ${money(i.cost.spent, i.cost.currency)} spent, ${money(i.cost.perHour, i.cost.currency)} for an hour of talk at its prices`
    : '';
}

export function digestText(d: Digest): string {
  const lines = [
    `Tollguard ${d.period === 'day' ? 'daily' : 'weekly'} digest: ${d.tenantName}, ${periodLabel(d)}`,
    '',
    `From 00:00 on ${dateLabel(d.start)} to 00:00 on ${dateLabel(d.end)} (${d.timeZone}).`,
    '',
  ];
  const width = Math.max(...figures(d).map(([k]) => k.length)) + 2;
  for (const [k, v] of figures(d)) lines.push(`${(k + ':').padEnd(width)}${v}`);
  lines.push('', 'Top destinations (outbound calls, costliest first):');
  const kw = Math.max(14, ...topLists(d).flatMap(([, rows]) => rows.map((r) => r.key.length)));
  for (const [name, rows] of topLists(d)) {
    lines.push(`  ${name.padEnd(kw + 2)}${'calls'.padStart(7)}${'cost'.padStart(14)}`);
    if (rows.length === 0) lines.push('    none');
    for (const r of rows) {
      lines.push(`    ${r.key.padEnd(kw)}${String(r.calls).padStart(7)}${money(r.cost, d.currency).padStart(14)}`);
    }
  }
  lines.push(
    '',
    `Open incidents: ${d.open.total}${d.open.total > d.open.list.length ? ` (the ${d.open.list.length} latest below)` : ''}`,
  );
  for (const i of d.open.list) {
    lines.push(`- [${i.severity.toUpperCase()}] ${i.title}`);
    lines.push(`  ${plural(i.count, 'event')}, last on ${localTime(i.lastAt, d.timeZone)}${costOfIncident(i)}`);
    if (i.link) lines.push(`  ${i.link}`);
  }
  lines.push('', 'What to do now:', ...todo(d).map((t) => `- ${t}`));
  if (d.links) lines.push('', `The calls of this period in the console: ${d.links.calls}`);
  lines.push(
    '',
    `Site: ${d.tenantName} (${d.tenantId}). Made by Tollguard at ${new Date(d.generatedAt).toISOString()}.`,
  );
  return lines.join('\n') + '\n';
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const link = (href: string, text: string) => `<a href="${esc(href)}">${esc(text)}</a>`;

export function digestHtml(d: Digest): string {
  const title = `Tollguard ${d.period === 'day' ? 'daily' : 'weekly'} digest: ${d.tenantName}, ${periodLabel(d)}`;
  const td = 'style="padding:2px 12px 2px 0;text-align:left;vertical-align:top"';
  const num = 'style="padding:2px 12px 2px 0;text-align:right"';
  const parts = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>`,
    '<body style="font-family:sans-serif;font-size:14px;color:#222">',
    `<h1 style="font-size:18px">${esc(title)}</h1>`,
    `<p>From 00:00 on ${esc(dateLabel(d.start))} to 00:00 on ${esc(dateLabel(d.end))} (${esc(d.timeZone)}).</p>`,
    '<table>',
    ...figures(d).map(([k, v]) => `<tr><th ${td}>${esc(k)}</th><td ${td}>${esc(v)}</td></tr>`),
    '</table>',
    '<h2 style="font-size:16px">Top destinations (outbound calls, costliest first)</h2>',
  ];
  for (const [name, rows] of topLists(d)) {
    parts.push(`<h3 style="font-size:14px">${esc(name)}</h3>`);
    if (rows.length === 0) {
      parts.push('<p>none</p>');
      continue;
    }
    parts.push(
      '<table>',
      `<tr><th ${td}>${esc(name === 'Numbers' ? 'number' : name === 'Classes' ? 'class' : 'country')}</th><th ${num}>calls</th><th ${num}>estimated cost</th></tr>`,
      ...rows.map(
        (r) =>
          `<tr><td ${td}>${esc(r.key)}</td><td ${num}>${r.calls}</td><td ${num}>${esc(money(r.cost, d.currency))}</td></tr>`,
      ),
      '</table>',
    );
  }
  parts.push(`<h2 style="font-size:16px">Open incidents: ${d.open.total}</h2>`);
  if (d.open.list.length) {
    parts.push('<ul>');
    for (const i of d.open.list) {
      const t = `[${i.severity.toUpperCase()}] ${i.title}`;
      parts.push(
        `<li>${i.link ? link(i.link, t) : esc(t)}<br>${esc(`${plural(i.count, 'event')}, last on ${localTime(i.lastAt, d.timeZone)}${costOfIncident(i)}`)}</li>`,
      );
    }
    parts.push('</ul>');
  }
  parts.push(
    '<h2 style="font-size:16px">What to do now</h2>',
    '<ul>',
    ...todo(d).map((t) => `<li>${esc(t)}</li>`),
    '</ul>',
  );
  if (d.links) parts.push(`<p>${link(d.links.calls, 'The calls of this period in the console')}</p>`);
  parts.push(
    `<p style="color:#666">Site: ${esc(d.tenantName)} (${esc(d.tenantId)}). Made by Tollguard at ${esc(new Date(d.generatedAt).toISOString())}.</p>`,
    '</body></html>',
  );
  return parts.join('\n') + '\n';
}

/** One line for syslog and chat previews: the figures without the lists. */
export function digestLine(d: Digest): string {
  const top = d.top.countries[0];
  return (
    `${d.tenantName} ${d.period === 'day' ? 'daily' : 'weekly'} digest ${d.start}..${d.end}: ` +
    `${plural(d.calls.total, 'call')} (${d.calls.outbound} out, ${d.calls.inbound} in), ` +
    `${d.refused} refused, ${d.cut} cut, ${d.alerted} alerted` +
    (d.mode === 'monitor' ? `, ${d.wouldHaveStopped} would have been stopped (monitor)` : '') +
    `, spend ${money(d.spend, d.currency)}, ${plural(d.open.total, 'open incident')}` +
    (top ? `, top country ${top.key} (${money(top.cost, d.currency)})` : '')
  );
}
