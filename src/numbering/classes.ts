// Destination classes: what a called number is, for the rules and the people reading the call log.

export type DestinationClass =
  | 'emergency'
  | 'national'
  | 'mobile'
  | 'tollfree'
  | 'international'
  | 'premium'
  | 'shared-cost'
  | 'satellite'
  | 'high-risk'
  | 'unknown';

export const DESTINATION_CLASSES: readonly DestinationClass[] = [
  'emergency',
  'national',
  'mobile',
  'tollfree',
  'international',
  'premium',
  'shared-cost',
  'satellite',
  'high-risk',
  'unknown',
];
