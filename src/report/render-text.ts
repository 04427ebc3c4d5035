// The call-log report as a person reads it in a terminal: the totals first, then where the money went, when the
// company was closed, by day, and what was unusual. The figures are CallReport's; nothing is computed here.
import type { CallReport, DestinationRow } from './call-report.js';
import { LocalClock } from '../engine/local-time.js';

const int = (n: number) => n.toLocaleString('en-US');
const money = (n: number, cur: string) =>
  `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${cur}`;
const mins = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} min`;
const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The period as local dates: "2026-11-02 to 2026-11-29" (the last day included). */
export function periodText(r: CallReport): string {
  const clock = new LocalClock(r.timezone);
  return `${clock.at(r.from).date} to ${clock.at(r.to - 1).date}`;
}

function table(rows: DestinationRow[], cur: string, label: string): string[] {
  const out = [`  ${label.padEnd(30)} ${'calls'.padStart(7)} ${'talk'.padStart(12)} ${'cost'.padStart(14)}`];
  for (const d of rows)
    out.push(
      `  ${(d.key + (d.cls ? ` ${d.cls}` : '')).padEnd(30)} ${int(d.calls).padStart(7)} ${mins(d.minutes).padStart(12)} ${money(d.cost, cur).padStart(14)}`,
    );
  return out;
}

export function renderCallReportText(r: CallReport): string {
  const cur = r.currency;
  const clock = new LocalClock(r.timezone);
  const when = (t: number) => {
    const l = clock.at(t);
    return `${l.date} ${WEEKDAYS[l.weekday]} ${String(Math.floor(l.minute / 60)).padStart(2, '0')}:${String(l.minute % 60).padStart(2, '0')}`;
  };
  const t = r.totals;
  const out = [
    `Calls of tenant ${r.tenant}, ${periodText(r)} (${r.timezone})`,
    `  ${int(t.calls)} call(s): ${int(t.outbound)} outbound, ${int(t.inbound)} inbound, ${int(t.answered)} answered; ${mins(t.minutes)} of talk; about ${money(t.cost, cur)}`,
    `  ${int(t.stopped)} refused or cut, ${int(t.alerted)} more alerted`,
  ];
  for (const n of r.notes) out.push(`  note: ${n}`);
  if (r.anomalies.length) {
    out.push('', 'Unusual');
    for (const a of r.anomalies.slice(0, 15))
      out.push(
        `  ${a.signal} (${a.rule ?? 'call log'}, ${a.severity}): ${int(a.calls)} call(s)${a.stopped ? `, ${int(a.stopped)} stopped` : ''}, ${money(a.cost, cur)}${a.score !== undefined ? `, score ${a.score}` : ''}`,
        `     ${a.message}`,
      );
    if (r.anomalies.length > 15) out.push(`  … ${r.anomalies.length - 15} more (--json has them all)`);
  }
  if (r.topNumbers.length) out.push('', 'Top destinations (outbound, by cost)', ...table(r.topNumbers, cur, 'number'));
  if (r.topCountries.length) out.push('', 'Countries abroad', ...table(r.topCountries, cur, 'country'));
  if (r.byClass.length) out.push('', 'By destination class', ...table(r.byClass, cur, 'class'));
  out.push(
    '',
    `While closed: ${int(r.offHours.calls)} outbound call(s), ${mins(r.offHours.minutes)}, about ${money(r.offHours.cost, cur)}`,
  );
  for (const c of r.offHours.top.slice(0, 10))
    out.push(
      `  ${when(c.startedAt)}  ${c.caller} → ${c.called}${c.cls ? ` ${c.cls}` : ''}  ${mins(c.minutes)}  ${money(c.cost, cur)}${c.action && c.action !== 'allow' ? `  ${c.action}` : ''}  (${c.because})`,
    );
  if (r.byDay.length) {
    out.push('', 'By day');
    for (const d of r.byDay.slice(-62))
      out.push(
        `  ${d.day} ${WEEKDAYS[clock.at(Date.parse(`${d.day}T12:00:00Z`)).weekday]}  ${int(d.calls).padStart(6)} calls  ${int(d.offHours).padStart(4)} closed  ${int(d.stopped).padStart(4)} stopped  ${mins(d.minutes).padStart(12)}  ${money(d.cost, cur).padStart(12)}`,
      );
  }
  return out.join('\n') + '\n';
}
