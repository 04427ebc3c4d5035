// Every FreeSWITCH check, in the order the documentation lists them.
import type { Check } from '../../types.js';
import type { FreeswitchModel } from '../../freeswitch/model.js';
import { fsDefaultPassword } from './default-password.js';
import { fsUserPassword } from './user-password.js';
import { fsVmPasswordDefault, fsVmPasswordPolicy } from './vm-password.js';
import { fsTollAllow } from './toll-allow.js';
import { fsEslExposed, fsEslPassword } from './esl.js';
import { fsAclAny } from './acl-any.js';
import { fsPublicToDefault } from './public-to-default.js';
import { fsProfileExposed } from './profile-exposed.js';

export const FREESWITCH_CHECKS: readonly Check<FreeswitchModel>[] = Object.freeze([
  fsPublicToDefault,
  fsDefaultPassword,
  fsUserPassword,
  fsVmPasswordDefault,
  fsVmPasswordPolicy,
  fsTollAllow,
  fsEslPassword,
  fsEslExposed,
  fsAclAny,
  fsProfileExposed,
]);
