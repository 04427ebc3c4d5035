// The replay summary as a person reads it: the answer first (what would have been stopped, what it saved), then
// by rule, by day, and the worst incidents first.
import { LocalClock } from '../../engine/local-time.js';
import type { ReplayReport } from './summary.js';

const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const int = (n: number) => n.toLocaleString('en-US');
const money = (n: number, cur: string) =>
  `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${cur}`;
const mins = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} min`;

export function renderReport(r: ReplayReport): string {
  const clock = new LocalClock(r.timezone);
  const hm = (iso: number) => {
    const l = clock.at(iso);
    return `${String(Math.floor(l.minute / 60)).padStart(2, '0')}:${String(l.minute % 60).padStart(2, '0')}`;
  };
  const dayName = (day: string) => WEEKDAYS[clock.at(Date.parse(`${day}T12:00:00Z`)).weekday] ?? '';
  const out: string[] = [];
  const span = r.from && r.to ? `, ${clock.at(Date.parse(r.from)).date} to ${clock.at(Date.parse(r.to)).date}` : '';
  out.push(
    `Replayed ${int(r.calls)} call(s) from ${r.file} (${r.format}${span}, ${r.timezone}); tenant ${r.tenant}, ${r.mode} mode`,
  );
  out.push(
    `  ${int(r.legs.outbound)} outbound, ${int(r.legs.inbound)} inbound, ${int(r.legs.internal)} internal, ${int(r.legs['trunk-to-trunk'])} trunk-to-trunk`,
  );
  if (r.badRows) {
    out.push(`  ${int(r.badRows)} bad row(s) skipped:`);
    for (const b of r.badSamples.slice(0, 5)) out.push(`    line ${b.line}: ${b.reason}`);
    if (r.badRows > 5) out.push(`    … ${int(r.badRows - 5)} more (all on stderr)`);
  }
  if (r.foldedBLegs) out.push(`  ${int(r.foldedBLegs)} b-leg row(s) folded into their a-leg`);
  if (r.lateRecords)
    out.push(
      `  ${int(r.lateRecords)} record(s) out of order beyond the reorder window, replayed late (--reorder-window)`,
    );
  if (r.quarantinesReleased) out.push(`  ${int(r.quarantinesReleased)} quarantine(s) lifted by --release-after`);
  if (r.profile) {
    const p = r.profile;
    out.push(
      p.warmFrom
        ? `  Profile: warm from ${clock.at(Date.parse(p.warmFrom)).date} (needs ${p.needs}); the ${int(p.notCompared)} outbound call(s) before were not compared with the usual traffic`
        : `  Profile: not enough history (${p.history}, ${int(p.calls)} calls; it needs ${p.needs}): no call was compared with the usual traffic`,
      `  At the end: ${p.history} and ${int(p.calls)} calls learned; ${int(p.extensionsWarm)} of ${int(p.extensions)} extension(s) warm`,
    );
  }
  out.push('');
  const verb = r.mode === 'enforce' ? 'would have' : 'would have (monitor mode: nothing enforced)';
  if (r.refused + r.cut === 0) {
    out.push(`No call would have been refused or cut; ${int(r.alerts)} alert(s).`);
  } else {
    out.push(
      `Tollguard ${verb} refused ${int(r.refused)} call(s) and cut ${int(r.cut)}; ${int(r.alerts)} more alert(s).`,
    );
    out.push(
      `Saved: ${mins(r.minutesSaved)} of talk, about ${money(r.costSaved, r.currency)} (recorded outbound spend ${money(r.recordedCost, r.currency)}, replayed ${money(r.replayedCost, r.currency)}).`,
    );
    // A quarantine stands until a person lifts it, as live: over a long file one incident can refuse months of calls.
    const held = r.byRule.filter((x) => x.rule === 'quarantine').reduce((n, x) => n + x.refused, 0);
    if (held * 2 > r.refused && !r.quarantinesReleased)
      out.push(
        `${int(held)} of these refusals are calls made while a quarantine stood: as live, it holds until a person releases it. --release-after 60 lifts each an hour after it was set, to see every incident on its own.`,
      );
  }
  if (r.byRule.length) {
    out.push('', 'By rule');
    out.push(
      `  ${'signal'.padEnd(22)} ${'rule'.padEnd(20)} ${'calls'.padStart(7)} ${'refused'.padStart(8)} ${'cut'.padStart(6)} ${'alerts'.padStart(7)} ${'saved'.padStart(12)} ${'cost saved'.padStart(14)}`,
    );
    for (const t of r.byRule)
      out.push(
        `  ${t.signal.padEnd(22)} ${t.rule.padEnd(20)} ${int(t.calls).padStart(7)} ${int(t.refused).padStart(8)} ${int(t.cut).padStart(6)} ${int(t.alerts).padStart(7)} ${mins(t.minutesSaved).padStart(12)} ${money(t.costSaved, r.currency).padStart(14)}`,
      );
  }
  const busy = r.byDay.filter((d) => d.refused + d.cut + d.alerts > 0);
  if (busy.length) {
    out.push('', 'By day (days with alerts, refusals or cuts)');
    for (const d of busy.slice(0, 31))
      out.push(
        `  ${d.day} ${dayName(d.day)}  ${int(d.calls).padStart(6)} calls  ${int(d.refused).padStart(5)} refused  ${int(d.cut).padStart(4)} cut  ${int(d.alerts).padStart(5)} alerts  ${mins(d.minutesSaved).padStart(11)}  ${money(d.costSaved, r.currency).padStart(12)}`,
      );
    if (busy.length > 31) out.push(`  … ${busy.length - 31} more day(s) (--json has them all)`);
  }
  if (r.incidents.length) {
    out.push('', 'Worst incidents first');
    r.incidents.forEach((i, n) => {
      const what = [
        i.refused ? `${int(i.refused)} refused` : '',
        i.cut ? `${int(i.cut)} cut` : '',
        i.alerts ? `${int(i.alerts)} alerted` : '',
      ]
        .filter(Boolean)
        .join(', ');
      out.push(
        `  ${n + 1}. ${i.day} ${dayName(i.day)} ${hm(i.first)}–${hm(i.last)}  ${i.who}  ${i.signal} (${i.rule}, ${i.severity}): ${what}; saved ${mins(i.minutesSaved)}, ${money(i.costSaved, r.currency)}`,
      );
      out.push(`     ${i.message}${i.numbers.length > 1 ? ` [numbers: ${i.numbers.join(', ')}]` : ''}`);
    });
  }
  out.push('', `(${(r.elapsedMs / 1000).toFixed(1)} s; --json for one line per call)`);
  return out.join('\n') + '\n';
}
