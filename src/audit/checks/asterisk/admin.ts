// The administration interfaces of manager.conf (AMI), ari.conf (ARI) and http.conf (the HTTP server that carries
// ARI and the AMI over HTTP), read the same way by the three admin checks. Asterisk's defaults: the AMI is off
// unless enabled=yes and binds to 0.0.0.0; ARI is on when the HTTP server is; the HTTP server is off unless
// enabled=yes (an unset bindaddr is taken as every address, the cautious reading).
import type { AsteriskModel } from '../../asterisk/index.js';
import { doc, get, isFalse, isTrue, type ConfEntry, type ConfSection } from '../../asterisk/model.js';

export interface AdminUser {
  iface: 'AMI' | 'ARI';
  name: string;
  section: ConfSection;
  secret?: ConfEntry;
  /** password_format=crypt: the strength cannot be judged. */
  hashed: boolean;
}

export interface AdminView {
  ami: { enabled: boolean; general?: ConfSection; bind?: ConfEntry; users: AdminUser[] };
  http: { enabled: boolean; general?: ConfSection; bind?: ConfEntry };
  ari: { enabled: boolean; general?: ConfSection; users: AdminUser[] };
}

export function adminView(model: AsteriskModel): AdminView {
  const manager = doc(model.cfg, 'manager');
  const mg = manager.general();
  const amiUsers: AdminUser[] = manager
    .concrete()
    .filter((s) => s.name.toLowerCase() !== 'general')
    .map((s) => {
      const u: AdminUser = { iface: 'AMI', name: s.name, section: s, hashed: false };
      const secret = get(s, 'secret');
      if (secret) u.secret = secret;
      return u;
    });
  const http = doc(model.cfg, 'http');
  const hg = http.general();
  const ari = doc(model.cfg, 'ari');
  const ag = ari.general();
  const ariUsers: AdminUser[] = ari
    .concrete()
    .filter((s) => get(s, 'type')?.value.toLowerCase() === 'user')
    .map((s) => {
      const u: AdminUser = {
        iface: 'ARI',
        name: s.name,
        section: s,
        hashed: (get(s, 'password_format')?.value ?? 'plain').toLowerCase() === 'crypt',
      };
      const pw = get(s, 'password');
      if (pw) u.secret = pw;
      return u;
    });
  const httpEnabled = isTrue(get(hg, 'enabled')?.value);
  const view: AdminView = {
    ami: { enabled: isTrue(get(mg, 'enabled')?.value), users: amiUsers },
    http: { enabled: httpEnabled },
    ari: { enabled: httpEnabled && !isFalse(get(ag, 'enabled')?.value) && ariUsers.length > 0, users: ariUsers },
  };
  if (mg) view.ami.general = mg;
  const mb = get(mg, 'bindaddr');
  if (mb) view.ami.bind = mb;
  if (hg) view.http.general = hg;
  const hb = get(hg, 'bindaddr');
  if (hb) view.http.bind = hb;
  if (ag) view.ari.general = ag;
  return view;
}
