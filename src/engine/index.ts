// The engine's public face: what adapters, the composition root and the CLI use.
export { Engine, type TenantSetup, type Quarantine, type EngineListener } from './engine.js';
export { tenantPolicySchema, defaultPolicy, defaultTimeZone, type TenantPolicy } from './policy.js';
export type { Decision, Signal } from './decision.js';
export type { Action, Severity } from './actions.js';
export type { CallAttempt, LiveCall } from './attempt.js';
export {
  TenantProfile,
  PROFILE_VERSION,
  TENANT_SCOPE,
  spanText,
  hourOfWeekText,
  type ScopeProfile,
  type HourNorm,
} from './profile.js';
export { RULES } from '../rules/index.js';
