// Destination classes: what a called number is, for the rules and the people reading the call log.

/** The classes a policy decides on: every class but `emergency`, which no rule may refuse. */
export const RULED_CLASSES = [
  'national',
  'mobile',
  'tollfree',
  'international',
  'premium',
  'shared-cost',
  'satellite',
  'high-risk',
  'unknown',
] as const;

export type RuledClass = (typeof RULED_CLASSES)[number];

export const DESTINATION_CLASSES = ['emergency', ...RULED_CLASSES] as const;

export type DestinationClass = (typeof DESTINATION_CLASSES)[number];
