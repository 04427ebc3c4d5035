// Walks the dialplan the way a call would, from a context where a caller lands, with concrete dialled numbers: the
// extensions the context and its includes define and the international, premium and satellite numbers of
// ../destinations.ts. It follows Goto, GotoIf, GotoIfTime, Gosub, GosubIf, Macro, ExecIf and Dial(Local/…@ctx),
// substitutes ${EXTEN} (with :offset:length), channel variables set on the way, ARGn and [globals], and marks as
// "chosen by the caller" every value that comes from digits the caller keyed into a pattern, from Read() or from the
// caller id. What it reports: trunk dials (and whether the caller chose the number), DISA, VoiceMailMain, forwards
// set from a caller's digits, and what it could not follow. It over-approximates: both branches of every condition
// are taken, so it may show a way a real call would not take, never the reverse within what it reads.
import type { PathStep } from '../types.js';
import { PROBES } from '../destinations.js';
import {
  findExtension,
  includedContexts,
  parseApp,
  sampleFor,
  splitArgs,
  type Dialplan,
  type DpContext,
  type DpExtension,
  type DpStep,
} from './dialplan.js';
import { trunkOf, type Channels } from './channels.js';

export interface Value {
  text: string;
  /** Whether the caller chose (part of) this value. */
  tainted: boolean;
}

interface State {
  vars: Map<string, Value>;
  exten: Value;
  args: Value[];
  macroExten?: Value;
  path: PathStep[];
  /** An Authenticate() or VMAuthenticate() was passed on the way. */
  authenticated: boolean;
  depth: number;
}

interface EventBase {
  step: DpStep;
  context: string;
  path: PathStep[];
  authenticated: boolean;
}

export type ReachEvent =
  | (EventBase & { kind: 'trunk-dial'; channel: string; trunk: string; number: string; tainted: boolean })
  | (EventBase & { kind: 'disa'; password: string; target: string })
  | (EventBase & { kind: 'voicemail-main'; mailbox: string; skipPassword: boolean })
  | (EventBase & { kind: 'forward-set'; family: string; tainted: boolean })
  | (EventBase & { kind: 'unresolved'; what: string })
  | { kind: 'missing-context'; name: string; path: PathStep[] };

export interface ReachOptions {
  /** Contexts voicemail users can dial from (voicemail.conf dialout= / callback=): followed after VoiceMailMain. */
  voicemailOut: { context: string; kind: 'dialout' | 'callback'; file: string; line: number }[];
  /** Bounds the work for one starting point. */
  maxSteps?: number;
  maxDepth?: number;
  /** At most this many dialled strings tried per context. */
  maxProbes?: number;
}

/** FreePBX macros that dial out on a trunk with the number in ARG2 (they live in its extensions.conf). */
const FREEPBX_DIALOUT_MACROS = new Set(['dialout-trunk', 'dialout-dundi', 'dialout-enum']);

const SPECIAL_EXTENSIONS = new Set(['h', 'T']);

/** Values Asterisk itself gives to status variables, tried one by one when a jump is built from them. */
const STATUS_VALUES: Record<string, string[]> = {
  DIALSTATUS: [
    'CHANUNAVAIL',
    'CONGESTION',
    'NOANSWER',
    'BUSY',
    'ANSWER',
    'CANCEL',
    'DONTCALL',
    'TORTURE',
    'INVALIDARGS',
  ],
  VMSTATUS: ['SUCCESS', 'USEREXIT', 'FAILED'],
  AVAILSTATUS: ['0', '1', '2', '3', '4', '5', '6', '7', '8'],
};

function place(text: string): Value {
  return { text, tainted: false };
}

/** Splits `cond?a:b` at the `?` and `:` that are not inside ${…}, $[…], quotes or parentheses. */
export function splitCondition(args: string): { cond: string; yes: string; no: string } | undefined {
  let depth = 0;
  let q = -1;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '?' && depth === 0) {
      q = i;
      break;
    }
  }
  if (q < 0) return undefined;
  const rest = args.slice(q + 1);
  depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0) return { cond: args.slice(0, q), yes: rest.slice(0, i), no: rest.slice(i + 1) };
  }
  return { cond: args.slice(0, q), yes: rest, no: '' };
}

export class Walker {
  readonly events: ReachEvent[] = [];
  private readonly visited = new Set<string>();
  private readonly missing = new Set<string>();
  private budget: number;
  private readonly maxDepth: number;
  private readonly maxProbes: number;

  constructor(
    readonly dp: Dialplan,
    readonly ch: Channels,
    readonly opts: ReachOptions,
  ) {
    this.budget = opts.maxSteps ?? 200_000;
    this.maxDepth = opts.maxDepth ?? 48;
    this.maxProbes = opts.maxProbes ?? 400;
  }

  /** Every string a caller may dial in a context: its own and included extensions, and the probe numbers. */
  probesFor(context: string): string[] {
    const out = new Set<string>();
    for (const p of PROBES) out.add(p.number);
    for (const ctx of includedContexts(this.dp, context)) {
      for (const x of ctx.extensions) {
        if (SPECIAL_EXTENSIONS.has(x.exten)) continue;
        out.add(sampleFor(x));
      }
    }
    return [...out].slice(0, this.maxProbes);
  }

  /** Starts as a caller who lands in `context` and may dial anything. */
  startAnywhere(context: string, path: PathStep[], authenticated = false): void {
    const state: State = {
      vars: new Map(),
      exten: place(''),
      args: [],
      path,
      authenticated,
      depth: 0,
    };
    this.anyNumber(context, state);
  }

  /** Starts with one dialled string (tainted when the caller chose it). */
  startWith(context: string, exten: Value, path: PathStep[]): void {
    this.runExten(context, exten, undefined, {
      vars: new Map(),
      exten,
      args: [],
      path,
      authenticated: false,
      depth: 0,
    });
  }

  private anyNumber(context: string, state: State): void {
    if (!this.dp.contexts.has(context)) {
      this.noteMissing(context, state.path);
      return;
    }
    const key = `any\u0000${context}\u0000${state.authenticated}`;
    if (this.visited.has(key)) return;
    this.visited.add(key);
    for (const n of this.probesFor(context)) {
      this.runExten(context, { text: n, tainted: true }, undefined, { ...state, vars: new Map(state.vars) });
    }
  }

  private noteMissing(name: string, path: PathStep[]): void {
    if (this.missing.has(name)) return;
    this.missing.add(name);
    this.events.push({ kind: 'missing-context', name, path });
  }

  private runExten(context: string, exten: Value, start: string | undefined, state: State): void {
    if (state.depth > this.maxDepth || this.budget <= 0) return;
    const ctx = this.dp.contexts.get(context);
    if (!ctx) {
      this.noteMissing(context, state.path);
      return;
    }
    const m = findExtension(this.dp, context, exten.text);
    if (!m) return;
    // The same extension reached with other arguments or variables may go elsewhere: they are part of the key.
    const vars = [...state.vars].map(([k, v]) => `${k}=${v.text}${v.tainted ? '*' : ''}`).join('\u0001');
    const args = state.args.map((a) => a.text).join('\u0001');
    const key = [
      context,
      m.context.name,
      m.extension.name,
      exten.text,
      start ?? '',
      exten.tainted,
      state.authenticated,
      args,
      vars,
    ].join('\u0000');
    if (this.visited.has(key)) return;
    this.visited.add(key);
    const path = [...state.path];
    for (const inc of m.via) {
      path.push({ context: inc.context, file: inc.file, line: inc.line, what: `include => ${inc.context}` });
    }
    const x = m.extension;
    const chosen: Value = { text: exten.text, tainted: exten.tainted && x.pattern };
    path.push({
      context: m.context.name,
      file: x.file,
      line: x.line,
      what: x.pattern ? `${exten.text} matches ${x.name}` : `extension ${x.name}`,
    });
    let index = 0;
    if (start !== undefined && start !== '' && start !== '1') {
      const i = x.steps.findIndex((s) => s.label === start || String(s.priority) === start);
      if (i >= 0) index = i;
    }
    this.runSteps(m.context, x, index, { ...state, exten: chosen, path, depth: state.depth + 1 });
  }

  private runSteps(ctx: DpContext, x: DpExtension, from: number, state: State): void {
    const vars = new Map(state.vars);
    let st: State = { ...state, vars };
    for (let i = from; i < x.steps.length; i++) {
      if (--this.budget <= 0) return;
      const step = x.steps[i]!;
      const r = this.runStep(ctx, x, step, step.appLower, step.args, st);
      st = r.state;
      if (r.stop) return;
    }
  }

  private at(step: DpStep, ctx: DpContext, what: string): PathStep {
    return { context: ctx.name, file: step.file, line: step.line, what };
  }

  /** Runs one application; returns whether the extension stops there. */
  private runStep(
    ctx: DpContext,
    x: DpExtension,
    step: DpStep,
    app: string,
    rawArgs: string,
    state: State,
  ): { stop: boolean; state: State } {
    const base = { step, context: ctx.name, authenticated: state.authenticated };
    const args = splitArgs(rawArgs);
    switch (app) {
      case 'set':
      case 'mset': {
        for (const a of app === 'set' ? [rawArgs] : args) {
          const eq = a.indexOf('=');
          if (eq <= 0) continue;
          const name = normVar(a.slice(0, eq));
          const value = this.subst(a.slice(eq + 1), state);
          const db = /^DB\((CF[UB]?)\//i.exec(a.slice(0, eq).trim());
          if (db) {
            this.events.push({
              kind: 'forward-set',
              family: db[1]!.toUpperCase(),
              tainted: value.tainted,
              ...base,
              path: [...state.path, this.at(step, ctx, `Set(${a.slice(0, eq).trim()}=…)`)],
            });
          }
          state.vars.set(name, value);
        }
        return { stop: false, state };
      }
      case 'read': {
        const name = normVar(args[0] ?? '');
        if (name) state.vars.set(name, { text: `‹${name}›`, tainted: true });
        return { stop: false, state };
      }
      case 'authenticate':
      case 'vmauthenticate':
        return { stop: false, state: { ...state, authenticated: true } };
      case 'hangup':
      case 'busy':
      case 'congestion':
      case 'return':
      case 'macroexit':
        return { stop: true, state };
      case 'goto':
        // A jump to another extension ends this one; a jump to a label of the same extension lets the walk go on.
        return { stop: this.jump(ctx, x, step, args, state, 'Goto') !== 'same', state };
      case 'gotoif':
      case 'gotoiftime':
      case 'gosubif': {
        const c = splitCondition(rawArgs);
        if (c) {
          for (const d of [c.yes, c.no]) {
            if (d.trim() === '') continue;
            const label = app === 'gosubif' ? stripGosubArgs(d) : { dest: d };
            const how = app === 'gosubif' ? 'GosubIf' : app === 'gotoif' ? 'GotoIf' : 'GotoIfTime';
            this.jump(ctx, x, step, splitArgs(label.dest), state, how, label.args);
          }
        }
        return { stop: false, state };
      }
      case 'gosub': {
        const label = stripGosubArgs(rawArgs);
        this.jump(ctx, x, step, splitArgs(label.dest), state, 'Gosub', label.args);
        return { stop: false, state };
      }
      case 'macro': {
        const name = this.subst(args[0] ?? '', state).text;
        const macroArgs = args.slice(1).map((a) => this.subst(a, state));
        const target = `macro-${name}`;
        if (!this.dp.contexts.has(target) && FREEPBX_DIALOUT_MACROS.has(name)) {
          const number = macroArgs[1] ?? place('');
          this.events.push({
            kind: 'trunk-dial',
            channel: `Macro(${name})`,
            trunk: `FreePBX outbound route (macro ${name})`,
            number: number.text,
            tainted: number.tainted,
            ...base,
            path: [...state.path, this.at(step, ctx, `Macro(${name},…) dials out on a trunk`)],
          });
          return { stop: false, state };
        }
        const sub: State = {
          ...state,
          args: macroArgs,
          macroExten: state.exten,
          path: [...state.path, this.at(step, ctx, `Macro(${name})`)],
        };
        this.runExten(target, place('s'), undefined, sub);
        return { stop: false, state };
      }
      case 'execif': {
        const c = splitCondition(rawArgs);
        if (c) {
          for (const d of [c.yes, c.no]) {
            if (d.trim() === '') continue;
            const inner = parseApp(d);
            this.runStep(ctx, x, step, inner.app.toLowerCase(), inner.args, state);
          }
        }
        return { stop: false, state };
      }
      case 'dial':
      case 'queue':
      case 'page': {
        const target = app === 'page' ? (rawArgs.split(',')[0] ?? '') : (args[0] ?? '');
        if (app === 'queue') return { stop: false, state };
        for (const chan of target.split('&')) {
          const v = this.subst(chan, state);
          const local = /^Local\/([^@]*)@([^/]+)(?:\/.*)?$/i.exec(v.text);
          if (local) {
            this.runExten(local[2]!, { text: local[1]!, tainted: v.tainted }, undefined, {
              ...state,
              path: [...state.path, this.at(step, ctx, `Dial(Local/${local[1]}@${local[2]})`)],
            });
            continue;
          }
          const t = trunkOf(this.ch, v.text);
          if (t?.trunk) {
            this.events.push({
              kind: 'trunk-dial',
              channel: v.text,
              trunk: t.name,
              number: t.number,
              tainted: v.tainted,
              ...base,
              path: [...state.path, this.at(step, ctx, `${step.app}(${v.text})`)],
            });
          } else if (!t && /‹/.test(v.text)) {
            this.events.push({
              kind: 'unresolved',
              what: `${step.app}(${chan}) dials a channel named by a variable that the audit cannot resolve`,
              ...base,
              path: [...state.path, this.at(step, ctx, `${step.app}(${chan})`)],
            });
          }
        }
        return { stop: false, state };
      }
      case 'disa': {
        const password = (args[0] ?? '').trim();
        const target = this.subst(args[1] ?? 'disa', state).text || 'disa';
        const here = this.at(step, ctx, `DISA(${rawArgs})`);
        this.events.push({ kind: 'disa', password, target, ...base, path: [...state.path, here] });
        this.anyNumber(target, {
          ...state,
          exten: place(''),
          path: [...state.path, here, { ...here, what: `the caller gets a dial tone in ${target}` }],
        });
        return { stop: true, state };
      }
      case 'voicemailmain': {
        const mailbox = this.subst(args[0] ?? '', state).text;
        const options = args[1] ?? '';
        const skip = /s/.test(options.replace(/\([^)]*\)/g, ''));
        const here = this.at(step, ctx, `VoiceMailMain(${rawArgs})`);
        this.events.push({
          kind: 'voicemail-main',
          mailbox,
          skipPassword: skip,
          ...base,
          path: [...state.path, here],
        });
        for (const out of this.opts.voicemailOut) {
          this.anyNumber(out.context, {
            ...state,
            exten: place(''),
            path: [
              ...state.path,
              here,
              {
                context: out.context,
                file: out.file,
                line: out.line,
                what: `voicemail ${out.kind}=${out.context}: the caller dials from the mailbox menu`,
              },
            ],
          });
        }
        return { stop: false, state };
      }
      case 'background':
      case 'waitexten': {
        const here = this.at(step, ctx, `${step.app}(): the caller may key any extension of ${ctx.name}`);
        this.anyNumber(ctx.name, { ...state, path: [...state.path, here] });
        return { stop: false, state };
      }
      case 'agi':
      case 'eagi':
      case 'system':
      case 'trysystem':
        return { stop: false, state };
      default:
        return { stop: false, state };
    }
  }

  /** Goto-like jump to `[[context,]exten,]priority`. */
  private jump(
    ctx: DpContext,
    x: DpExtension,
    step: DpStep,
    dest: string[],
    state: State,
    how: string,
    gosubArgs?: string,
  ): 'same' | 'left' {
    // A destination built from a status Asterisk sets itself (Goto(dialed-${DIALSTATUS},1)) is tried with each value.
    for (const d of dest) {
      const known = /\$\{(DIALSTATUS|VMSTATUS|AVAILSTATUS)\}/.exec(d);
      if (known) {
        let left: 'same' | 'left' = 'same';
        for (const v of STATUS_VALUES[known[1]!]!) {
          const r = this.jump(
            ctx,
            x,
            step,
            dest.map((p) => p.split(known[0]).join(v)),
            state,
            how,
            gosubArgs,
          );
          if (r === 'left') left = 'left';
        }
        return left;
      }
    }
    const parts = dest.map((d) => this.subst(d, state));
    if (parts.length <= 1) return 'same'; // a label of the same extension: the walk goes on through it anyway
    const [cv, ev, pv] = parts.length >= 3 ? parts : [place(ctx.name), parts[0]!, parts[1]!];
    if (/‹/.test(cv!.text) || (/‹/.test(ev!.text) && !ev!.tainted)) {
      this.events.push({
        kind: 'unresolved',
        what: `${how}(${dest.join(',')}) jumps to a place named by a variable that the audit cannot resolve`,
        step,
        context: ctx.name,
        authenticated: state.authenticated,
        path: [...state.path, this.at(step, ctx, `${how}(${dest.join(',')})`)],
      });
      return 'left';
    }
    const args = gosubArgs === undefined ? state.args : splitArgs(gosubArgs).map((a) => this.subst(a, state));
    const next: State = {
      ...state,
      vars: new Map(state.vars),
      args,
      path: [...state.path, this.at(step, ctx, `${how}(${cv!.text},${ev!.text},${pv!.text})`)],
    };
    if (/‹/.test(ev!.text)) {
      // The caller chose where to go (a Read() value): any extension of the target.
      this.anyNumber(cv!.text, next);
      return 'left';
    }
    if (cv!.text === ctx.name && (ev!.text === x.exten || ev!.text === state.exten.text)) return 'same';
    this.runExten(cv!.text, ev!, pv!.text, next);
    return 'left';
  }

  /** ${VAR}, ${VAR:offset:length}, ${GLOBAL(VAR)}, ${FILTER(…,${VAR})}, ${ARGn}, ${EXTEN}; unknown → ‹NAME›. */
  subst(text: string, state: State): Value {
    let tainted = false;
    const out = replaceVars(text, (expr) => {
      const v = this.evalExpr(expr, state);
      if (v.tainted) tainted = true;
      return v.text;
    });
    return { text: out, tainted };
  }

  private evalExpr(expr: string, state: State): Value {
    const fn = /^([A-Za-z_]+)\((.*)\)(?::(-?\d+)(?::(-?\d+))?)?$/.exec(expr);
    if (fn) {
      const name = fn[1]!.toUpperCase();
      const inner = fn[2]!;
      let v: Value;
      if (name === 'GLOBAL') v = this.lookup(inner.trim(), state, true);
      else if (name === 'FILTER') {
        const a = splitArgs(inner);
        v = this.lookupLiteral(a.slice(1).join(','), state);
      } else if (name === 'CALLERID' && /^(num|all|ani|dnid)/i.test(inner)) v = { text: '‹CALLERID›', tainted: true };
      else if (name === 'LOCAL') v = this.lookup(inner.trim(), state, false);
      else v = { text: `‹${name}()›`, tainted: /‹/.test(inner) ? false : false };
      return substring(v, fn[3], fn[4]);
    }
    const m = /^([\w]+)(?::(-?\d+)(?::(-?\d+))?)?$/.exec(expr);
    if (!m) return { text: `‹${expr}›`, tainted: false };
    return substring(this.lookup(m[1]!, state, false), m[2], m[3]);
  }

  private lookupLiteral(text: string, _state: State): Value {
    // Arguments inside functions arrive already substituted; a leftover ‹…› keeps its taint unknown.
    return { text, tainted: text.includes('‹CALLERID›') };
  }

  private lookup(name: string, state: State, globalOnly: boolean): Value {
    if (!globalOnly) {
      if (name === 'EXTEN') return state.exten;
      if (name === 'MACRO_EXTEN') return state.macroExten ?? state.exten;
      const arg = /^ARG(\d+)$/.exec(name);
      if (arg) return state.args[Number(arg[1]) - 1] ?? place('');
      const v = state.vars.get(name);
      if (v) return v;
    }
    const g = this.dp.globals.get(name);
    if (g) return { text: g.value, tainted: false };
    return { text: `‹${name}›`, tainted: false };
  }
}

function normVar(name: string): string {
  const t = name.trim();
  const local = /^LOCAL\((.*)\)$/i.exec(t);
  return (local ? local[1]! : t).replace(/^_+/, '');
}

function stripGosubArgs(dest: string): { dest: string; args?: string } {
  const t = dest.trim();
  const open = t.indexOf('(');
  if (open < 0 || !t.endsWith(')')) return { dest: t };
  return { dest: t.slice(0, open), args: t.slice(open + 1, -1) };
}

function substring(v: Value, off?: string, len?: string): Value {
  if (off === undefined) return v;
  if (/‹/.test(v.text)) return v;
  const s = v.text;
  let start = Number(off);
  if (start < 0) start = Math.max(0, s.length + start);
  let out = s.slice(start);
  if (len !== undefined) {
    const n = Number(len);
    out = n >= 0 ? out.slice(0, n) : out.slice(0, Math.max(0, out.length + n));
  }
  return { text: out, tainted: v.tainted };
}

/** Replaces every ${…} (innermost first) with what `evaluate` returns. `$[…]` expressions are left as they are. */
export function replaceVars(text: string, evaluate: (expr: string) => string): string {
  let s = text;
  for (let guard = 0; guard < 200; guard++) {
    // Find an innermost ${…}: one whose body has no further ${.
    const start = s.lastIndexOf('${');
    if (start < 0) break;
    let depth = 0;
    let end = -1;
    for (let i = start + 2; i < s.length; i++) {
      const c = s[i];
      if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0) {
          end = i;
          break;
        }
        depth--;
      }
    }
    if (end < 0) break;
    s = s.slice(0, start) + evaluate(s.slice(start + 2, end)) + s.slice(end + 1);
  }
  return s;
}
