// An audit of an uploaded archive: unpack it safely into a private temporary folder, find the configuration folder
// inside (an archive may hold etc/asterisk/…, asterisk/… or the files themselves) and which PBX it is, run the same
// audit as `tollguard audit`, and remove the folder. The result names folders as the archive does, never the
// temporary path.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TollguardError } from '../errors.js';
import { DEFAULT_UNPACK_LIMITS, unpackArchive, type Unpacked, type UnpackLimits } from './archive.js';
import { audit, type AuditOptions } from './run.js';
import type { AuditResult, PbxKind } from './types.js';

/** Files whose presence says a folder is an Asterisk configuration (a `.sample` standing in for each). */
const ASTERISK_MARKS = [
  'asterisk.conf',
  'extensions.conf',
  'sip.conf',
  'pjsip.conf',
  'iax.conf',
  'manager.conf',
  'voicemail.conf',
  'modules.conf',
  'extensions_additional.conf',
];
/** Files and folders whose presence says a folder is a FreeSWITCH configuration. */
const FREESWITCH_MARKS = ['freeswitch.xml', 'vars.xml'];
const FREESWITCH_DIRS = ['autoload_configs', 'sip_profiles', 'dialplan', 'directory'];

/** Folders looked at when searching the configuration (bounded: an archive may be a whole /etc). */
const MAX_SEARCHED_DIRS = 2_000;
const MAX_SEARCH_DEPTH = 8;

function kindOf(dir: string): { asterisk: boolean; freeswitch: boolean } {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { asterisk: false, freeswitch: false };
  }
  const has = new Set(names);
  const asterisk = ASTERISK_MARKS.some((m) => has.has(m) || has.has(`${m}.sample`));
  const freeswitch = FREESWITCH_MARKS.some((m) => has.has(m)) || FREESWITCH_DIRS.filter((d) => has.has(d)).length >= 2;
  return { asterisk, freeswitch };
}

/**
 * The configuration folder in an unpacked tree and its PBX: the shallowest folder that looks like one (of `pbx` when
 * given). Throws a usage error when none does, or when both kinds stand at the same depth and `pbx` is not given.
 */
export function findConfigRoot(root: string, pbx?: PbxKind): { pbx: PbxKind; dir: string } {
  let level = [root];
  let searched = 0;
  for (let depth = 0; depth <= MAX_SEARCH_DEPTH && level.length > 0; depth++) {
    const found: Array<{ pbx: PbxKind; dir: string }> = [];
    const next: string[] = [];
    for (const dir of level) {
      if (++searched > MAX_SEARCHED_DIRS) break;
      const k = kindOf(dir);
      if (k.asterisk && pbx !== 'freeswitch') found.push({ pbx: 'asterisk', dir });
      if (k.freeswitch && pbx !== 'asterisk') found.push({ pbx: 'freeswitch', dir });
      if (found.length > 0) continue;
      try {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          if (e.isDirectory()) next.push(path.join(dir, e.name));
        }
      } catch {
        // unreadable: not searched further
      }
    }
    const kinds = new Set(found.map((f) => f.pbx));
    if (kinds.size > 1) {
      throw new TollguardError(
        'TG_ERR_USAGE',
        'the archive holds both an Asterisk and a FreeSWITCH configuration; say which to audit with ?pbx=',
      );
    }
    if (found.length > 0) {
      // Several folders of one kind at one depth (etc/asterisk and backup/asterisk): the first by name, stable.
      found.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
      return found[0]!;
    }
    level = next.sort();
  }
  if (pbx) {
    // Nothing that looks like the configuration: audit the top, below folders that only hold one folder.
    let dir = root;
    for (let i = 0; i < MAX_SEARCH_DEPTH; i++) {
      const entries = readdirSync(dir, { withFileTypes: true });
      if (entries.length !== 1 || !entries[0]!.isDirectory()) break;
      dir = path.join(dir, entries[0]!.name);
    }
    return { pbx, dir };
  }
  throw new TollguardError(
    'TG_ERR_USAGE',
    'the archive holds neither an Asterisk configuration (extensions.conf, sip.conf, pjsip.conf…) nor a FreeSWITCH ' +
      'one (freeswitch.xml, vars.xml); say which it is with ?pbx=asterisk or ?pbx=freeswitch',
  );
}

export interface ArchiveAudit {
  /** The audit, without the parsed model; `dir` is the configuration folder as the archive names it (`.` its top). */
  result: AuditResult;
  archive: Unpacked;
}

/** Unpacks `data`, audits the configuration it holds, and removes what it unpacked, whatever happens. */
export async function auditArchive(
  data: Buffer,
  opts: AuditOptions & { pbx?: PbxKind; limits?: UnpackLimits } = {},
): Promise<ArchiveAudit> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'tollguard-audit-'));
  try {
    const root = path.join(tmp, 'archive');
    // mkdtemp makes its folder 0700: only this process's user reads what the archive held.
    mkdirSync(root, { mode: 0o700 });
    const archive = await unpackArchive(data, root, opts.limits ?? DEFAULT_UNPACK_LIMITS);
    const found = findConfigRoot(root, opts.pbx);
    const full = audit(found.pbx, found.dir, {
      ...(opts.asOf ? { asOf: opts.asOf } : {}),
      ...(opts.pbxVersion ? { pbxVersion: opts.pbxVersion } : {}),
    });
    const rel = path.relative(root, found.dir).split(path.sep).join('/') || '.';
    const result: AuditResult = {
      pbx: full.pbx,
      dir: rel,
      asOf: full.asOf,
      findings: full.findings,
      notes: full.notes,
      filesRead: full.filesRead,
      checks: full.checks,
      ...(full.version ? { version: full.version } : {}),
    };
    return { result, archive };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
