// Numbering: dial plans, E.164 normalisation, destination classes, the risk list and tariffs.
export { DESTINATION_CLASSES, RULED_CLASSES, type DestinationClass, type RuledClass } from './classes.js';
export { defaultDialPlan, dialPlanSchema, isNanp, type DialPlan } from './dial-plan.js';
export { RiskList, dataDir, type RiskEntry } from './risk.js';
export { Numbering, tenantNumbering, type Destination } from './numbering.js';
export { Tariffs, costOfTalk, type Price } from './tariffs.js';
