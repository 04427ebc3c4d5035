// The rule list, in the order rules run: lists and business hours first (later rules read the facts they learn).
// Adding a rule: its own file, its test, and one line here.
import type { AnyRule } from '../engine/rule.js';
import { listsRule } from './lists.js';
import { businessHoursRule } from './business-hours.js';
import { destinationClassRule } from './destination-class.js';
import { concurrencyRule } from './concurrency.js';
import { velocityRule } from './velocity.js';
import { sequentialDiallingRule } from './sequential-dialling.js';
import { maxDurationRule } from './max-duration.js';
import { spendCapRule } from './spend-cap.js';
import { forwardedCallRule } from './forwarded-call.js';
import { hairpinRule } from './hairpin.js';
import { newDestinationRule } from './new-destination.js';
import { profileRule } from './profile.js';

export const RULES: readonly AnyRule[] = [
  listsRule,
  businessHoursRule,
  destinationClassRule,
  concurrencyRule,
  velocityRule,
  sequentialDiallingRule,
  maxDurationRule,
  spendCapRule,
  forwardedCallRule,
  hairpinRule,
  newDestinationRule,
  profileRule,
];
