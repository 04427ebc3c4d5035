// The call-log report as one self-contained HTML page: inline CSS and SVG charts, no script, no external resource,
// so it can be mailed, archived, or served as it is by the console. Every text from the records is escaped.
import type { CallReport, DestinationRow } from './call-report.js';
import { periodText } from './render-text.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const int = (n: number) => n.toLocaleString('en-US');
const money = (n: number, cur: string) =>
  `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${cur}`;
const mins = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} min`;

/** A vertical bar chart: one bar per value, labels under some of them, the value in each bar's title. */
export function barChart(
  bars: Array<{ label: string; value: number; title: string; highlight?: boolean }>,
  o: { width?: number; height?: number; every?: number; caption: string },
): string {
  const width = o.width ?? 720;
  const height = o.height ?? 180;
  const top = Math.max(0, ...bars.map((b) => b.value));
  const slot = bars.length ? (width - 40) / bars.length : 0;
  const every = o.every ?? Math.max(1, Math.ceil(bars.length / 12));
  const parts = bars.map((b, i) => {
    const h = top > 0 ? (b.value / top) * (height - 40) : 0;
    const x = 30 + i * slot;
    const label =
      i % every === 0
        ? `<text x="${(x + slot / 2).toFixed(1)}" y="${height - 8}" text-anchor="middle">${esc(b.label)}</text>`
        : '';
    return `<rect x="${(x + 1).toFixed(1)}" y="${(height - 25 - h).toFixed(1)}" width="${Math.max(1, slot - 2).toFixed(1)}" height="${h.toFixed(1)}" class="${b.highlight ? 'hi' : 'bar'}"><title>${esc(b.title)}</title></rect>${label}`;
  });
  return `<figure><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(o.caption)}"><line x1="28" y1="${height - 25}" x2="${width - 10}" y2="${height - 25}" class="axis"/>${parts.join('')}</svg><figcaption>${esc(o.caption)}</figcaption></figure>`;
}

/** Horizontal bars, one row per item, with its figure at the end. */
export function rowChart(rows: Array<{ label: string; value: number; text: string }>, caption: string): string {
  const width = 720;
  const rowH = 22;
  const height = rows.length * rowH + 10;
  const top = Math.max(0, ...rows.map((r) => r.value));
  const parts = rows.map((r, i) => {
    const w = top > 0 ? (r.value / top) * 420 : 0;
    const y = 5 + i * rowH;
    return `<text x="0" y="${y + 15}">${esc(r.label)}</text><rect x="140" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" class="bar"><title>${esc(r.text)}</title></rect><text x="${(148 + w).toFixed(1)}" y="${y + 15}">${esc(r.text)}</text>`;
  });
  return `<figure><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(caption)}">${parts.join('')}</svg><figcaption>${esc(caption)}</figcaption></figure>`;
}

function table(rows: DestinationRow[], cur: string, first: string): string {
  const body = rows
    .map(
      (d) =>
        `<tr><td>${esc(d.key)}</td><td>${esc(d.cls ?? d.country ?? '')}</td><td class="n">${int(d.calls)}</td><td class="n">${mins(d.minutes)}</td><td class="n">${money(d.cost, cur)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>${esc(first)}</th><th></th><th>calls</th><th>talk</th><th>cost</th></tr></thead><tbody>${body}</tbody></table>`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:760px;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%}td,th{padding:2px 6px;text-align:left;border-bottom:1px solid #eee}
.n{text-align:right;white-space:nowrap}svg text{font-size:11px;fill:#444}.bar{fill:#4a78b0}.hi{fill:#c0392b}
.axis{stroke:#999}.note{color:#8a5a00}.sev-critical,.sev-high{color:#c0392b}figure{margin:1em 0}
figcaption{color:#666;font-size:12px}`;

export function renderCallReportHtml(r: CallReport): string {
  const cur = r.currency;
  const t = r.totals;
  const period = periodText(r);
  const closedDays = new Set(
    r.anomalies.filter((a) => a.kind === 'day').map((a) => new Date(a.first).toISOString().slice(0, 10)),
  );
  const s: string[] = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Calls of ${esc(r.tenant)}, ${esc(period)}</title><style>${STYLE}</style></head><body>`,
    `<h1>Calls of ${esc(r.tenant)}, ${esc(period)}</h1>`,
    `<p>${int(t.calls)} calls (${int(t.outbound)} outbound, ${int(t.inbound)} inbound), ${mins(t.minutes)} of talk, about <b>${money(t.cost, cur)}</b>. ${int(t.stopped)} refused or cut, ${int(t.alerted)} more alerted. Times in ${esc(r.timezone)}; costs are estimates, not a bill.</p>`,
    ...r.notes.map((n) => `<p class="note">${esc(n)}</p>`),
  ];
  s.push('<h2>Unusual</h2>');
  if (r.anomalies.length === 0) s.push('<p>Nothing unusual in the period.</p>');
  else {
    s.push('<table><thead><tr><th>what</th><th>calls</th><th>cost</th><th>first</th></tr></thead><tbody>');
    for (const a of r.anomalies.slice(0, 30))
      s.push(
        `<tr><td><b class="sev-${esc(a.severity)}">${esc(a.signal)}</b>${a.rule ? ` (${esc(a.rule)})` : ''}${a.score !== undefined ? `, score ${a.score}` : ''}<br>${esc(a.message)}</td><td class="n">${int(a.calls)}${a.stopped ? ` (${int(a.stopped)} stopped)` : ''}</td><td class="n">${money(a.cost, cur)}</td><td class="n">${esc(new Date(a.first).toISOString().slice(0, 16).replace('T', ' '))}Z</td></tr>`,
      );
    s.push('</tbody></table>');
  }
  s.push('<h2>Cost by day</h2>');
  s.push(
    barChart(
      r.byDay.map((d) => ({
        label: d.day.slice(5),
        value: d.cost,
        title: `${d.day}: ${int(d.calls)} calls, ${money(d.cost, cur)}, ${int(d.offHours)} while closed`,
        highlight: closedDays.has(d.day),
      })),
      { caption: `Estimated cost per local day (${cur}); red: a day far above the median day` },
    ),
  );
  s.push('<h2>By destination class</h2>');
  s.push(
    rowChart(
      r.byClass.map((c) => ({ label: c.key, value: c.cost, text: `${money(c.cost, cur)}, ${int(c.calls)} calls` })),
      'Estimated cost of outbound calls per destination class',
    ),
  );
  s.push('<h2>Top destinations</h2>', table(r.topNumbers, cur, 'number'));
  if (r.topCountries.length) s.push('<h2>Countries abroad</h2>', table(r.topCountries, cur, 'country'));
  s.push('<h2>When calls are made</h2>');
  s.push(
    barChart(
      r.byHour.map((h, i) => ({
        label: `${i}h`,
        value: h.calls,
        title: `${i}:00–${i + 1}:00: ${int(h.calls)} calls, ${money(h.cost, cur)}`,
      })),
      { caption: 'Outbound calls by local hour of the day', every: 2 },
    ),
  );
  s.push(
    `<h2>While the company was closed</h2><p>${int(r.offHours.calls)} outbound calls, ${mins(r.offHours.minutes)}, about ${money(r.offHours.cost, cur)}.</p>`,
  );
  if (r.offHours.top.length) {
    s.push(
      '<table><thead><tr><th>when</th><th>from → to</th><th>talk</th><th>cost</th><th>why closed</th></tr></thead><tbody>',
    );
    for (const c of r.offHours.top)
      s.push(
        `<tr><td class="n">${esc(new Date(c.startedAt).toISOString().slice(0, 16).replace('T', ' '))}Z</td><td>${esc(c.caller)} → ${esc(c.called)}${c.cls ? ` (${esc(c.cls)})` : ''}${c.action && c.action !== 'allow' ? ` <b>${esc(c.action)}</b>` : ''}</td><td class="n">${mins(c.minutes)}</td><td class="n">${money(c.cost, cur)}</td><td>${esc(c.because)}</td></tr>`,
      );
    s.push('</tbody></table>');
  }
  s.push('</body></html>');
  return s.join('\n') + '\n';
}
