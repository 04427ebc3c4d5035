// Errors with stable codes: what a user, a script or the API can match on. One place for all of them.

export const ErrorCodes = {
  TG_ERR_CONFIG_INVALID: 'The configuration is invalid',
  TG_ERR_CONFIG_READ: 'The configuration file cannot be read',
  TG_ERR_USAGE: 'The command was used wrongly',
  TG_ERR_STORE: 'The store failed',
  TG_ERR_NOT_FOUND: 'No such object',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** An error a user is meant to read: a stable code, a message, optional details. */
export class TollguardError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'TollguardError';
    this.code = code;
    this.details = details;
  }
}
