// What an audit prints: plain text for the terminal, and the customer report in Markdown or printable HTML. The
// report opens with a summary (how exposed the PBX is, the three things to do now), then gives the findings by
// severity, grouped by recommendation, each with what it means in plain words and how to fix it.
import type { AuditResult, CheckInfo, Finding, Severity } from './types.js';
import { SEVERITIES, severityRank, sortFindings } from './types.js';
import { RECOMMENDATIONS, type RecommendationId } from './recommendations.js';

/** Who the report is for and who writes it. */
export interface ReportOptions {
  customer: string;
  /** The integrator's name, and the letterhead text printed at the top (address, phone…). */
  integrator?: string;
  letterhead?: string;
}

const EXPOSURE: Record<Severity | 'none', { level: string; text: string }> = {
  critical: {
    level: 'Exposed',
    text: 'An attacker can today make calls at your expense or take control of the phone system. Act now.',
  },
  high: {
    level: 'At risk',
    text: 'Serious weaknesses make fraud likely soon; fix them this week.',
  },
  medium: { level: 'Some weaknesses', text: 'No open door was found, but several protections are missing.' },
  low: { level: 'Well protected', text: 'Only minor improvements remain.' },
  info: { level: 'Well protected', text: 'Only remarks, no weakness.' },
  none: { level: 'No weakness found', text: 'The checks found nothing to fix in this configuration.' },
};

function worst(findings: Finding[]): Severity | 'none' {
  let w: Severity | 'none' = 'none';
  for (const f of findings) if (w === 'none' || severityRank(f.severity) > severityRank(w)) w = f.severity;
  return w;
}

export interface Summary {
  worst: Severity | 'none';
  level: string;
  text: string;
  counts: Record<Severity, number>;
  /** The three things to do now: the recommendations with the worst (then most) findings, with one fix each. */
  now: { recommendation: RecommendationId; title: string; fix: string; count: number }[];
}

export function summarize(result: AuditResult): Summary {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of result.findings) counts[f.severity]++;
  const w = worst(result.findings);
  const byRec = new Map<RecommendationId, Finding[]>();
  for (const f of sortFindings(result.findings)) {
    if (f.severity === 'info') continue;
    byRec.set(f.recommendation, [...(byRec.get(f.recommendation) ?? []), f]);
  }
  const now = [...byRec]
    .sort(
      (a, b) =>
        severityRank(b[1][0]!.severity) - severityRank(a[1][0]!.severity) ||
        b[1].length - a[1].length ||
        a[0].localeCompare(b[0]),
    )
    .slice(0, 3)
    .map(([rec, fs]) => {
      const check = result.checks.find((c) => c.id === fs[0]!.check);
      return {
        recommendation: rec,
        title: check?.texts.title ?? RECOMMENDATIONS[rec].title,
        fix: fs[0]!.fix,
        count: fs.length,
      };
    });
  return { worst: w, level: EXPOSURE[w].level, text: EXPOSURE[w].text, counts, now };
}

/** The terminal output: one block per finding, worst first, then what was noticed while reading. */
export function renderText(result: AuditResult): string {
  const lines: string[] = [];
  const s = summarize(result);
  lines.push(
    `${result.pbx} audit of ${result.dir}: ${result.filesRead.length} files read, ${result.findings.length} findings` +
      (result.version ? `, version ${result.version.value} (${result.version.source})` : ''),
  );
  lines.push(`${s.level}: ${s.text}`);
  lines.push(SEVERITIES.map((x) => `${x} ${s.counts[x]}`).join(', '));
  for (const f of result.findings) {
    lines.push('');
    lines.push(`${f.severity.toUpperCase()} ${f.check} (${f.recommendation}) ${f.file}:${f.line} [${f.subject}]`);
    lines.push(`  ${f.message}`);
    if (f.path) for (const p of f.path) lines.push(`    → ${p.context}: ${p.what} (${p.file}:${p.line})`);
    lines.push(`  fix: ${f.fix}`);
  }
  const notes = result.notes.filter((n) => n.level !== 'info');
  if (notes.length > 0) {
    lines.push('');
    lines.push('while reading:');
    for (const n of notes) lines.push(`  ${n.level}: ${n.file}${n.line ? `:${n.line}` : ''}: ${n.message}`);
  }
  return lines.join('\n') + '\n';
}

interface Group {
  severity: Severity;
  recommendation: RecommendationId;
  checks: { info: CheckInfo | undefined; findings: Finding[] }[];
}

/** Findings by severity, then by recommendation, then by check (so that each meaning is said once). */
function groups(result: AuditResult): Group[] {
  const out: Group[] = [];
  for (const sev of SEVERITIES) {
    const fs = result.findings.filter((f) => f.severity === sev);
    const recs = [...new Set(fs.map((f) => f.recommendation))].sort();
    for (const rec of recs) {
      const inRec = fs.filter((f) => f.recommendation === rec);
      const ids = [...new Set(inRec.map((f) => f.check))];
      out.push({
        severity: sev,
        recommendation: rec,
        checks: ids.map((id) => ({
          info: result.checks.find((c) => c.id === id),
          findings: inRec.filter((f) => f.check === id),
        })),
      });
    }
  }
  return out;
}

function mdEscape(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function dateOf(result: AuditResult): string {
  return result.asOf.slice(0, 10);
}

export function renderMarkdown(result: AuditResult, opts: ReportOptions): string {
  const s = summarize(result);
  const out: string[] = [];
  if (opts.integrator || opts.letterhead) {
    if (opts.integrator) out.push(`**${mdEscape(opts.integrator)}**`);
    if (opts.letterhead) out.push(...opts.letterhead.split('\n').map((l) => mdEscape(l) + '  '));
    out.push('');
  }
  out.push(`# Phone system security audit: ${mdEscape(opts.customer)}`);
  out.push('');
  out.push(
    `${result.pbx === 'asterisk' ? 'Asterisk' : 'FreeSWITCH'} configuration, ${result.filesRead.length} files read, ` +
      `audited on ${dateOf(result)}${result.version ? `; version ${mdEscape(result.version.value)}` : ''}.`,
  );
  out.push('');
  out.push('## Summary');
  out.push('');
  out.push(`**${s.level}.** ${s.text}`);
  out.push('');
  out.push(SEVERITIES.map((x) => `${x}: ${s.counts[x]}`).join(' · '));
  out.push('');
  if (s.now.length > 0) {
    out.push('### The three things to do now');
    out.push('');
    s.now.forEach((n, i) =>
      out.push(`${i + 1}. **${mdEscape(n.title)}** (${n.recommendation}, ${n.count} finding(s)): ${mdEscape(n.fix)}`),
    );
    out.push('');
  }
  out.push('## Findings');
  for (const g of groups(result)) {
    out.push('');
    out.push(`### ${g.severity.toUpperCase()}: ${RECOMMENDATIONS[g.recommendation].title} (${g.recommendation})`);
    out.push('');
    out.push(`_${mdEscape(RECOMMENDATIONS[g.recommendation].text)}_`);
    for (const c of g.checks) {
      out.push('');
      out.push(`#### ${mdEscape(c.info?.texts.title ?? c.findings[0]!.check)}`);
      out.push('');
      if (c.info) out.push(`**What it means:** ${mdEscape(c.info.texts.meaning)}`, '');
      out.push(`**How to fix it:** ${mdEscape(c.findings[0]!.fix)}`, '');
      for (const f of c.findings) {
        out.push(`- \`${f.file}:${f.line}\` ${mdEscape(f.subject)}: ${mdEscape(f.message)}`);
      }
    }
  }
  if (result.findings.length === 0) out.push('', 'No finding.');
  out.push('');
  out.push('---');
  out.push(`Checks run: ${result.checks.map((c) => `${c.id} (${c.recommendation})`).join(', ')}.`);
  out.push('');
  return out.join('\n');
}

function h(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const COLOURS: Record<Severity, string> = {
  critical: '#8b0000',
  high: '#c0392b',
  medium: '#d68910',
  low: '#2e86c1',
  info: '#7f8c8d',
};

export function renderHtml(result: AuditResult, opts: ReportOptions): string {
  const s = summarize(result);
  const o: string[] = [];
  o.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  o.push(`<title>Phone system security audit: ${h(opts.customer)}</title>`);
  o.push(
    '<style>body{font-family:Helvetica,Arial,sans-serif;max-width:48em;margin:2em auto;color:#222;line-height:1.4}' +
      'header{border-bottom:2px solid #333;margin-bottom:1em;white-space:pre-line}.sev{color:#fff;padding:0 .4em;' +
      'border-radius:3px;font-size:.85em}.finding{margin:.3em 0}code{font-size:.9em}section.group{break-inside:avoid}' +
      '@media print{body{margin:0;max-width:none}a{color:inherit}h2{break-before:auto}}</style>',
  );
  o.push('</head>', '<body>');
  if (opts.integrator || opts.letterhead) {
    o.push(
      `<header>${opts.integrator ? `<strong>${h(opts.integrator)}</strong>\n` : ''}${h(opts.letterhead ?? '')}</header>`,
    );
  }
  o.push(`<h1>Phone system security audit: ${h(opts.customer)}</h1>`);
  o.push(
    `<p>${result.pbx === 'asterisk' ? 'Asterisk' : 'FreeSWITCH'} configuration, ${result.filesRead.length} files ` +
      `read, audited on ${h(dateOf(result))}${result.version ? `; version ${h(result.version.value)}` : ''}.</p>`,
  );
  o.push('<h2>Summary</h2>');
  o.push(`<p><strong>${h(s.level)}.</strong> ${h(s.text)}</p>`);
  o.push(
    `<p>${SEVERITIES.map((x) => `<span class="sev" style="background:${COLOURS[x]}">${x}</span> ${s.counts[x]}`).join(' ')}</p>`,
  );
  if (s.now.length > 0) {
    o.push('<h3>The three things to do now</h3>', '<ol>');
    for (const n of s.now) {
      o.push(`<li><strong>${h(n.title)}</strong> (${n.recommendation}, ${n.count} finding(s)): ${h(n.fix)}</li>`);
    }
    o.push('</ol>');
  }
  o.push('<h2>Findings</h2>');
  if (result.findings.length === 0) o.push('<p>No finding.</p>');
  for (const g of groups(result)) {
    o.push('<section class="group">');
    o.push(
      `<h3><span class="sev" style="background:${COLOURS[g.severity]}">${g.severity}</span> ` +
        `${h(RECOMMENDATIONS[g.recommendation].title)} (${g.recommendation})</h3>`,
    );
    o.push(`<p><em>${h(RECOMMENDATIONS[g.recommendation].text)}</em></p>`);
    for (const c of g.checks) {
      o.push(`<h4>${h(c.info?.texts.title ?? c.findings[0]!.check)}</h4>`);
      if (c.info) o.push(`<p><strong>What it means:</strong> ${h(c.info.texts.meaning)}</p>`);
      o.push(`<p><strong>How to fix it:</strong> ${h(c.findings[0]!.fix)}</p>`, '<ul>');
      for (const f of c.findings) {
        o.push(`<li class="finding"><code>${h(f.file)}:${f.line}</code> ${h(f.subject)}: ${h(f.message)}</li>`);
      }
      o.push('</ul>');
    }
    o.push('</section>');
  }
  o.push(
    `<footer><p><small>Checks run: ${h(result.checks.map((c) => `${c.id} (${c.recommendation})`).join(', '))}.</small></p></footer>`,
  );
  o.push('</body>', '</html>', '');
  return o.join('\n');
}
