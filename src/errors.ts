// Errors with stable codes: what a user, a script or the API can match on. One place for all of them.

export const ErrorCodes = {
  TG_ERR_CONFIG_INVALID: 'The configuration is invalid',
  TG_ERR_CONFIG_READ: 'The configuration file cannot be read',
  TG_ERR_USAGE: 'The command was used wrongly',
  TG_ERR_STORE: 'The store failed',
  TG_ERR_NOT_FOUND: 'No such object',
  TG_ERR_CONFLICT: 'The object exists already',
  TG_ERR_AUTH: 'Not logged in, or the credentials are wrong',
  TG_ERR_LOCKED: 'The account is locked after too many failed logins',
  TG_ERR_FORBIDDEN: 'This account may not do that',
  TG_ERR_CSRF: 'The request lacks its CSRF token',
  TG_ERR_ARCHIVE: 'The archive cannot be read, or is not safe to unpack',
  TG_ERR_TOO_LARGE: 'The request or what it unpacks to is larger than its limit',
  TG_ERR_BUSY: 'The same heavy work is already running; try again when it ends',
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
