// Every Asterisk check, in the order the documentation lists them. Adding a check: its file, its test, one line here.
import type { Check } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { voicemailPinDefault } from './voicemail-pin-default.js';
import { voicemailPinPolicy } from './voicemail-pin-policy.js';
import { voicemailMaxLogins, voicemailMinPassword } from './voicemail-settings.js';
import { voicemailDialout } from './voicemail-dialout.js';
import { sipSecret } from './sip-secret.js';
import { sipGuest } from './sip-guest.js';
import { sipAlwaysAuthReject } from './sip-alwaysauthreject.js';
import { sipInsecureInvite } from './sip-insecure-invite.js';
import { aclAny } from './acl-any.js';
import { transportAny } from './transport-any.js';
import { adminSecret } from './admin-secret.js';
import { adminExposed } from './admin-exposed.js';
import { managerWrite } from './manager-write.js';
import { outsideTrunkDial } from './outside-trunk-dial.js';
import { outsideDisa } from './outside-disa.js';
import { outsideVoicemail } from './outside-voicemail.js';
import { outsideForward } from './outside-forward.js';
import { phoneDestinations } from './phone-destinations.js';
import { versionEol } from './version-eol.js';

export const ASTERISK_CHECKS: readonly Check<AsteriskModel>[] = Object.freeze([
  outsideTrunkDial,
  outsideDisa,
  outsideVoicemail,
  outsideForward,
  voicemailDialout,
  phoneDestinations,
  voicemailPinDefault,
  voicemailPinPolicy,
  voicemailMinPassword,
  voicemailMaxLogins,
  sipSecret,
  sipGuest,
  sipAlwaysAuthReject,
  sipInsecureInvite,
  aclAny,
  transportAny,
  adminSecret,
  adminExposed,
  managerWrite,
  versionEol,
]);
