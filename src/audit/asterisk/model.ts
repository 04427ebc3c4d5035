// The parsed Asterisk configuration as the checks see it: one document per configuration family (sip, pjsip,
// extensions, voicemail, …) holding its sections in order, each value with the file and line it came from, and
// template values copied in the way Asterisk copies them when a section names its templates.
import type { ReadNote } from '../types.js';

export interface ConfEntry {
  key: string;
  /** `key` in lower case: Asterisk compares option names without case. */
  lkey: string;
  op: '=' | '=>' | '+=';
  value: string;
  file: string;
  line: number;
  /** The template the value was copied from, when it was inherited. */
  from?: string;
}

export interface ConfSection {
  name: string;
  file: string;
  line: number;
  template: boolean;
  inherits: string[];
  /** Values copied from the templates, at the moment the section was opened (as Asterisk does). */
  inherited: ConfEntry[];
  /** The section's own values, in order. */
  own: ConfEntry[];
}

/** Every value of a section: inherited ones first, then its own (a later value of a key overrides an earlier one). */
export function entries(s: ConfSection): ConfEntry[] {
  return s.inherited.length === 0 ? s.own : [...s.inherited, ...s.own];
}

/** The value of `key` that Asterisk uses: the last one. */
export function get(s: ConfSection | undefined, key: string): ConfEntry | undefined {
  if (!s) return undefined;
  const k = key.toLowerCase();
  const all = entries(s);
  for (let i = all.length - 1; i >= 0; i--) if (all[i]!.lkey === k) return all[i];
  return undefined;
}

/** Every value of `key`, in order (for keys that may repeat: permit, deny, allow, register, exten…). */
export function getAll(s: ConfSection | undefined, key: string): ConfEntry[] {
  if (!s) return [];
  const k = key.toLowerCase();
  return entries(s).filter((e) => e.lkey === k);
}

/** Asterisk's boolean words (ast_true / ast_false). */
export function isTrue(v: string | undefined): boolean {
  return v !== undefined && /^(yes|true|y|t|1|on)$/i.test(v.trim());
}
export function isFalse(v: string | undefined): boolean {
  return v !== undefined && /^(no|false|n|f|0|off)$/i.test(v.trim());
}

/** One configuration family: sip.conf with everything it includes (and FreePBX's sip_*.conf beside it), … */
export class ConfDoc {
  readonly sections: ConfSection[] = [];
  /** Files that contributed, relative to the audited folder, in reading order. */
  readonly files: string[] = [];
  constructor(readonly family: string) {}

  /** Sections with this name (pjsip may use one name for an endpoint, its aor and its auth). */
  named(name: string): ConfSection[] {
    return this.sections.filter((s) => s.name === name);
  }

  /** Sections that are not templates. */
  concrete(): ConfSection[] {
    return this.sections.filter((s) => !s.template);
  }

  /**
   * The `[general]` sections read as one (FreePBX splits them over sip_general_additional.conf, …), or undefined
   * when there is none.
   */
  general(name = 'general'): ConfSection | undefined {
    const all = this.sections.filter((s) => s.name.toLowerCase() === name && !s.template);
    if (all.length === 0) return undefined;
    if (all.length === 1) return all[0];
    return {
      name,
      file: all[0]!.file,
      line: all[0]!.line,
      template: false,
      inherits: [],
      inherited: [],
      own: all.flatMap((s) => entries(s)),
    };
  }
}

export interface AsteriskConfig {
  dir: string;
  docs: Map<string, ConfDoc>;
  /** Every file read, relative to the audited folder. */
  filesRead: string[];
  notes: ReadNote[];
  /** A version found in a file of the folder (`version`, `asterisk.version`, …), with where it was found. */
  versionHint?: { value: string; file: string };
}

/** The document of a family, or an empty one (so checks need not test for absence). */
export function doc(cfg: AsteriskConfig, family: string): ConfDoc {
  return cfg.docs.get(family) ?? new ConfDoc(family);
}

/**
 * Whether modules.conf lets Asterisk load a module (`chan_sip.so`): no modules.conf loads everything; `noload`
 * wins; `load`, `preload` and `require` load it; otherwise `autoload=yes` decides.
 */
export function moduleLoaded(cfg: AsteriskConfig, module: string): boolean {
  const mods = cfg.docs.get('modules');
  if (!mods) return true;
  const s = mods.general('modules');
  if (!s) return true;
  const norm = (n: string) => n.trim().toLowerCase().replace(/\.so$/, '');
  const want = norm(module);
  let listed: boolean | undefined;
  for (const e of entries(s)) {
    if (norm(e.value) !== want) continue;
    if (e.lkey === 'noload') return false;
    if (e.lkey === 'load' || e.lkey === 'preload' || e.lkey === 'require' || e.lkey === 'preload-require')
      listed = true;
  }
  if (listed) return true;
  return isTrue(get(s, 'autoload')?.value);
}

/** The document of a family whose module modules.conf loads; an empty one when the module is not loaded. */
export function loadedDoc(cfg: AsteriskConfig, family: string, module: string): ConfDoc {
  return moduleLoaded(cfg, module) ? doc(cfg, family) : new ConfDoc(family);
}
