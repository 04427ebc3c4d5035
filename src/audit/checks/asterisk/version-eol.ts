// The Asterisk version, when it is known (--pbx-version, a version file in the folder, or the user agent FreePBX
// writes: useragent=FPBX-12.0.38(11.7.0)), against the end-of-life dates of its major release. Dates: the Asterisk
// project's published support schedule (LTS: 4 years of fixes then 1 of security fixes; standard: 1 + 1).
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { doc, get } from '../../asterisk/model.js';

/** Major release → last day of security fixes, and the day regular fixes stop (security only after it). */
export const ASTERISK_EOL: Record<number, { securityOnly: string; eol: string; lts: boolean }> = {
  1: { securityOnly: '2014-10-21', eol: '2015-10-21', lts: true }, // 1.8, the last of the 1.x line
  10: { securityOnly: '2012-12-14', eol: '2013-12-14', lts: false },
  11: { securityOnly: '2016-10-25', eol: '2017-10-25', lts: true },
  12: { securityOnly: '2014-12-20', eol: '2015-12-20', lts: false },
  13: { securityOnly: '2020-10-24', eol: '2021-10-24', lts: true },
  14: { securityOnly: '2017-09-26', eol: '2018-09-26', lts: false },
  15: { securityOnly: '2018-10-03', eol: '2019-10-03', lts: false },
  16: { securityOnly: '2022-10-09', eol: '2023-10-09', lts: true },
  17: { securityOnly: '2020-10-28', eol: '2021-10-28', lts: false },
  18: { securityOnly: '2024-10-20', eol: '2025-10-20', lts: true },
  19: { securityOnly: '2022-11-02', eol: '2023-11-02', lts: false },
  20: { securityOnly: '2026-10-19', eol: '2027-10-19', lts: true },
  21: { securityOnly: '2027-10-18', eol: '2028-10-18', lts: false },
  22: { securityOnly: '2028-10-16', eol: '2029-10-16', lts: true },
};

/** The version of the audited Asterisk and where it was found, if anywhere. */
export function asteriskVersion(
  model: AsteriskModel,
  given?: string,
): { value: string; source: string; file?: string; line?: number } | undefined {
  if (given) return { value: given, source: '--pbx-version' };
  const hint = model.cfg.versionHint;
  if (hint) return { value: hint.value, source: hint.file, file: hint.file, line: 1 };
  const agents = [
    get(doc(model.cfg, 'sip').general(), 'useragent'),
    ...doc(model.cfg, 'pjsip')
      .concrete()
      .filter((s) => get(s, 'type')?.value.toLowerCase() === 'global')
      .map((s) => get(s, 'user_agent')),
  ];
  for (const ua of agents) {
    if (!ua) continue;
    const m =
      /^FPBX-[\d.]+\((\d+(?:\.\d+)+)\)/.exec(ua.value) ?? /Asterisk(?: PBX)?[ /-]?(\d+(?:\.\d+)+)/i.exec(ua.value);
    if (m) return { value: m[1]!, source: `${ua.key}=${ua.value}`, file: ua.file, line: ua.line };
  }
  return undefined;
}

function majorOf(version: string): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 && m[2] === '8' ? 1 : major >= 10 ? major : undefined;
}

export const versionEol: Check<AsteriskModel> = {
  id: 'asterisk.version-eol',
  recommendation: 'R-PATCH',
  severity: 'high',
  looksAt:
    'the Asterisk version (--pbx-version, a version file, FreePBX’s useragent) against the end-of-life dates of ' +
    'its major release',
  texts: {
    title: 'Asterisk version no longer maintained',
    meaning:
      'This release of Asterisk no longer receives security fixes: weaknesses found since then stay open and are ' +
      'published for attackers to use.',
    fix: 'Upgrade to a maintained long-term release of Asterisk (and of FreePBX, when it is used).',
  },
  run(model, ctx) {
    const v = asteriskVersion(model, ctx.pbxVersion);
    if (!v) return [];
    const major = majorOf(v.value);
    const row = major === undefined ? undefined : ASTERISK_EOL[major];
    const at = { file: v.file ?? '', line: v.line ?? 0, subject: `Asterisk ${v.value}` };
    const out: Finding[] = [];
    if (major !== undefined && major < 10 && major !== 1) return out;
    if (!row) {
      if (major === undefined || major < 23) {
        out.push(
          findingOf(this, {
            ...at,
            message: `Asterisk ${v.value} (from ${v.source}) is older than 1.8: unmaintained for years`,
          }),
        );
      }
      return out;
    }
    const asOf = ctx.asOf.toISOString().slice(0, 10);
    if (asOf >= row.eol) {
      out.push(
        findingOf(this, {
          ...at,
          message: `Asterisk ${v.value} (from ${v.source}) reached end of life on ${row.eol}: no more security fixes`,
        }),
      );
    } else if (asOf >= row.securityOnly) {
      out.push(
        findingOf(this, {
          ...at,
          severity: 'low',
          message: `Asterisk ${v.value} (from ${v.source}) only receives security fixes until ${row.eol}: plan the upgrade`,
        }),
      );
    }
    return out;
  },
};
