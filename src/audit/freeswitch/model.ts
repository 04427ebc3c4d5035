// The FreeSWITCH model the checks receive: directory users (params and variables, the domain's as defaults), dialplan
// contexts (extensions, conditions, actions), SIP profiles with their gateways, ACL lists, and the event socket
// settings, each value with the file and line it was written on.
import type { FreeswitchConfig, XmlNode } from './load.js';
import { findAll, rawValue } from './load.js';

/** A `<param name value/>` or `<variable name value/>`. */
export interface FsParam {
  name: string;
  value: string;
  /** As written, before $${} expansion (`$${default_password}`). */
  raw?: string;
  file: string;
  line: number;
}

export interface FsUser {
  id: string;
  domain: string;
  file: string;
  line: number;
  /** The user's own params, then the domain's for those it does not set. */
  params: Map<string, FsParam>;
  variables: Map<string, FsParam>;
  cidr?: string;
}

export interface FsAction {
  app: string;
  data: string;
  anti: boolean;
  file: string;
  line: number;
}

export interface FsCondition {
  field: string;
  expression: string;
  file: string;
  line: number;
  actions: FsAction[];
}

export interface FsExtension {
  name: string;
  file: string;
  line: number;
  conditions: FsCondition[];
}

export interface FsContext {
  name: string;
  file: string;
  line: number;
  extensions: FsExtension[];
}

export interface FsGateway {
  name: string;
  file: string;
  line: number;
  params: Map<string, FsParam>;
}

export interface FsProfile {
  name: string;
  file: string;
  line: number;
  settings: Map<string, FsParam>;
  gateways: FsGateway[];
}

export interface FsAclNode {
  type: 'allow' | 'deny';
  cidr?: string;
  domain?: string;
  file: string;
  line: number;
}

export interface FsAcl {
  name: string;
  default: 'allow' | 'deny';
  file: string;
  line: number;
  nodes: FsAclNode[];
}

export interface FreeswitchModel {
  cfg: FreeswitchConfig;
  users: FsUser[];
  contexts: Map<string, FsContext>;
  profiles: FsProfile[];
  acls: Map<string, FsAcl>;
  eventSocket?: { file: string; line: number; settings: Map<string, FsParam> };
}

function params(node: XmlNode | undefined, tag = 'param'): Map<string, FsParam> {
  const out = new Map<string, FsParam>();
  if (!node) return out;
  for (const p of node.children) {
    if (p.name !== tag || p.attrs.name === undefined) continue;
    const fp: FsParam = { name: p.attrs.name, value: p.attrs.value ?? '', file: p.file, line: p.line };
    const raw = rawValue(p);
    if (raw !== undefined) fp.raw = raw;
    out.set(p.attrs.name, fp);
  }
  return out;
}

function child(node: XmlNode, name: string): XmlNode | undefined {
  // <include> wrappers of included files are transparent.
  for (const c of node.children) {
    if (c.name === name) return c;
    if (c.name === 'include') {
      const inner = child(c, name);
      if (inner) return inner;
    }
  }
  return undefined;
}

function users(root: XmlNode, out: FsUser[]): void {
  for (const domain of findAll(root, 'domain')) {
    const dparams = params(child(domain, 'params'));
    const dvars = params(child(domain, 'variables'), 'variable');
    for (const u of findAll(domain, 'user')) {
      if (u.attrs.type === 'pointer' || u.attrs.id === undefined) continue;
      const p = params(child(u, 'params'));
      const v = params(child(u, 'variables'), 'variable');
      for (const [k, x] of dparams) if (!p.has(k)) p.set(k, x);
      for (const [k, x] of dvars) if (!v.has(k)) v.set(k, x);
      const user: FsUser = {
        id: u.attrs.id,
        domain: domain.attrs.name ?? '',
        file: u.file,
        line: u.line,
        params: p,
        variables: v,
      };
      if (u.attrs.cidr) user.cidr = u.attrs.cidr;
      out.push(user);
    }
  }
}

function contexts(root: XmlNode, out: Map<string, FsContext>): void {
  for (const c of findAll(root, 'context')) {
    const name = c.attrs.name ?? '';
    let ctx = out.get(name);
    if (!ctx) {
      ctx = { name, file: c.file, line: c.line, extensions: [] };
      out.set(name, ctx);
    }
    for (const x of findAll(c, 'extension')) {
      const ext: FsExtension = { name: x.attrs.name ?? '', file: x.file, line: x.line, conditions: [] };
      for (const cond of findAll(x, 'condition')) {
        const fc: FsCondition = {
          field: cond.attrs.field ?? '',
          expression: cond.attrs.expression ?? '',
          file: cond.file,
          line: cond.line,
          actions: [],
        };
        for (const a of cond.children) {
          if (a.name !== 'action' && a.name !== 'anti-action') continue;
          fc.actions.push({
            app: a.attrs.application ?? '',
            data: a.attrs.data ?? '',
            anti: a.name === 'anti-action',
            file: a.file,
            line: a.line,
          });
        }
        ext.conditions.push(fc);
      }
      ctx.extensions.push(ext);
    }
  }
}

/** `<profile>` elements of SIP profiles: not those of other modules' configuration (voicemail.conf has profiles). */
function sipProfiles(node: XmlNode, out: XmlNode[] = []): XmlNode[] {
  if (node.name === 'configuration' && node.attrs.name !== 'sofia.conf') return out;
  if (node.name === 'profile') out.push(node);
  else for (const c of node.children) sipProfiles(c, out);
  return out;
}

export function buildFreeswitchModel(cfg: FreeswitchConfig): FreeswitchModel {
  const model: FreeswitchModel = { cfg, users: [], contexts: new Map(), profiles: [], acls: new Map() };
  for (const { node } of cfg.roots) {
    users(node, model.users);
    contexts(node, model.contexts);
    for (const p of sipProfiles(node)) {
      const settings = params(child(p, 'settings'));
      const gateways: FsGateway[] = findAll(p, 'gateway').map((g) => ({
        name: g.attrs.name ?? '',
        file: g.file,
        line: g.line,
        params: params(g),
      }));
      model.profiles.push({ name: p.attrs.name ?? '', file: p.file, line: p.line, settings, gateways });
    }
    for (const conf of findAll(node, 'configuration')) {
      const name = conf.attrs.name ?? '';
      if (name === 'event_socket.conf') {
        model.eventSocket = { file: conf.file, line: conf.line, settings: params(child(conf, 'settings')) };
      } else if (name === 'acl.conf') {
        for (const l of findAll(conf, 'list')) {
          const acl: FsAcl = {
            name: l.attrs.name ?? '',
            default: (l.attrs.default ?? 'deny').toLowerCase() === 'allow' ? 'allow' : 'deny',
            file: l.file,
            line: l.line,
            nodes: [],
          };
          for (const n of l.children) {
            if (n.name !== 'node') continue;
            const fn: FsAclNode = {
              type: (n.attrs.type ?? 'deny').toLowerCase() === 'allow' ? 'allow' : 'deny',
              file: n.file,
              line: n.line,
            };
            if (n.attrs.cidr) fn.cidr = n.attrs.cidr;
            if (n.attrs.domain) fn.domain = n.attrs.domain;
            acl.nodes.push(fn);
          }
          model.acls.set(acl.name, acl);
        }
      }
    }
  }
  return model;
}

/** A profile setting's value, or undefined. */
export function setting(p: FsProfile, name: string): FsParam | undefined {
  return p.settings.get(name);
}
