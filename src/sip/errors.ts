// Why a message was refused, as data: a stable code to count and alert on, the SIP status to answer with (or 0 when
// no answer is possible), and what could be read of the request to build that answer. Parsing never throws.

/** Stable codes of refusals. Count them (see `SipErrorCounter`): bad input from a trunk is evidence. */
export type SipErrorCode =
  /** The buffer held only CRLFs (a keep-alive) or nothing. */
  | 'EMPTY'
  /** Message larger than `maxMessageSize`. */
  | 'TOO_LARGE'
  /** Body (Content-Length) larger than `maxBodySize`. */
  | 'BODY_TOO_LARGE'
  /** More header fields than `maxHeaders`. */
  | 'TOO_MANY_HEADERS'
  /** A start line or header field longer than `maxLineLength`. */
  | 'HEADER_TOO_LONG'
  /** A URI longer than `maxUriLength`. */
  | 'URI_TOO_LONG'
  /** More Via values than `maxVia`. */
  | 'TOO_MANY_VIA'
  /** The start line is neither a request line nor a status line. */
  | 'BAD_START_LINE'
  /** SIP-Version other than SIP/2.0. */
  | 'BAD_VERSION'
  /** The Request-URI is malformed (or carries a headers component, RFC 3261 §19.1.1). */
  | 'BAD_REQUEST_URI'
  /** The Request-URI scheme is not sip, sips or tel. */
  | 'UNSUPPORTED_URI_SCHEME'
  /** A header line is malformed (no colon, bad name, bare CR or LF), or a checked header's value is malformed. */
  | 'BAD_HEADER'
  /** A header that must appear once appears more than once. */
  | 'DUPLICATE_HEADER'
  /** A mandatory header (Via, From, To, Call-ID, CSeq) is missing. */
  | 'MISSING_HEADER'
  /** Content-Length is malformed, repeated, or larger than the bytes that follow (datagram). */
  | 'BAD_CONTENT_LENGTH'
  /** No Content-Length on a stream transport (RFC 3261 §18.3). */
  | 'MISSING_CONTENT_LENGTH'
  /** The CSeq method differs from the request method. */
  | 'CSEQ_MISMATCH'
  /** The header section does not end (no empty line) before the end of the data. */
  | 'TRUNCATED'
  /** Max-Forwards is 0 (raised by `checkMaxForwards`, for a proxy; a message with 0 still parses). */
  | 'TOO_MANY_HOPS';

/** The headers of a refused request that a response needs (RFC 3261 §8.2.6), raw as received, when readable. */
export interface ErrorContext {
  /** Request method, when the start line could be read. */
  method?: string;
  /** Every Via header field value, in order (a field may hold several comma-separated values). */
  via: string[];
  from?: string;
  to?: string;
  callId?: string;
  cseq?: string;
  /** Timestamp, copied into a 100 response (RFC 3261 §8.2.6.1). */
  timestamp?: string;
}

/** A refusal. `status` is the SIP response to send (400, 413, 414, 416, 483, 501, 505, 513) or 0 when none is possible. */
export interface SipParseError {
  code: SipErrorCode;
  /**
   * The status of the response to send; 0 when no response is possible (the message is a response, or too broken to
   * tell). Whether it can be sent also needs `request` to hold Via, From, To, Call-ID and CSeq: `createErrorResponse`
   * returns undefined otherwise.
   */
  status: number;
  /** The reason phrase to send with `status` ('Bad Request', 'Version Not Supported', …). */
  reason: string;
  /** Why, in a few words, safe to log and to send in a Warning header. */
  detail: string;
  /** Canonical name of the header concerned, if one is. */
  header?: string;
  /** Byte offset in the input where the problem was seen, if known. */
  offset?: number;
  /** True when the message was a request (a start line beginning with a method). */
  isRequest: boolean;
  /** What could be read of the request to answer it (absent for responses). */
  request?: ErrorContext;
}

/** Standard reason phrases (RFC 3261 §21 and the common extensions). */
export const REASON_PHRASES: Readonly<Record<number, string>> = Object.freeze({
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  199: 'Early Dialog Terminated',
  200: 'OK',
  202: 'Accepted',
  204: 'No Notification',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Moved Temporarily',
  305: 'Use Proxy',
  380: 'Alternative Service',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  410: 'Gone',
  412: 'Conditional Request Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  417: 'Unknown Resource-Priority',
  420: 'Bad Extension',
  421: 'Extension Required',
  422: 'Session Interval Too Small',
  423: 'Interval Too Brief',
  428: 'Use Identity Header',
  429: 'Provide Referrer Identity',
  433: 'Anonymity Disallowed',
  436: 'Bad Identity Info',
  437: 'Unsupported Credential',
  438: 'Invalid Identity Header',
  439: 'First Hop Lacks Outbound Support',
  440: 'Max-Breadth Exceeded',
  469: 'Bad Info Package',
  470: 'Consent Needed',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  484: 'Address Incomplete',
  485: 'Ambiguous',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  489: 'Bad Event',
  491: 'Request Pending',
  493: 'Undecipherable',
  494: 'Security Agreement Required',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  555: 'Push Notification Service Not Supported',
  580: 'Precondition Failure',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
  607: 'Unwanted',
  608: 'Rejected',
});

/** The standard reason phrase of a status, or a generic one for its class. */
export function reasonPhrase(status: number): string {
  const known = REASON_PHRASES[status];
  if (known) return known;
  if (status < 200) return 'Provisional';
  if (status < 300) return 'Success';
  if (status < 400) return 'Redirection';
  if (status < 500) return 'Client Error';
  if (status < 600) return 'Server Error';
  return 'Global Failure';
}

/** The status each code answers a request with (responses are never answered: status 0). */
export const STATUS_OF: Readonly<Record<SipErrorCode, number>> = Object.freeze({
  EMPTY: 0,
  TOO_LARGE: 513,
  BODY_TOO_LARGE: 413,
  TOO_MANY_HEADERS: 513,
  HEADER_TOO_LONG: 513,
  URI_TOO_LONG: 414,
  TOO_MANY_VIA: 483,
  BAD_START_LINE: 400,
  BAD_VERSION: 505,
  BAD_REQUEST_URI: 400,
  UNSUPPORTED_URI_SCHEME: 416,
  BAD_HEADER: 400,
  DUPLICATE_HEADER: 400,
  MISSING_HEADER: 400,
  BAD_CONTENT_LENGTH: 400,
  MISSING_CONTENT_LENGTH: 400,
  CSEQ_MISMATCH: 400,
  TRUNCATED: 400,
  TOO_MANY_HOPS: 483,
});

/** Builds an error; `status` defaults to the code's status for requests and 0 for responses. */
export function sipError(
  code: SipErrorCode,
  detail: string,
  isRequest: boolean,
  extra?: { status?: number; header?: string; offset?: number },
): SipParseError {
  const status = isRequest ? (extra?.status ?? STATUS_OF[code]) : 0;
  const err: SipParseError = { code, status, reason: status ? reasonPhrase(status) : '', detail, isRequest };
  if (extra?.header !== undefined) err.header = extra.header;
  if (extra?.offset !== undefined) err.offset = extra.offset;
  return err;
}

/**
 * Counts refusals by code (and by status), for metrics and for the scanner rule. Cheap: one object, no allocation
 * per call.
 */
export class SipErrorCounter {
  private readonly byCode = new Map<SipErrorCode, number>();
  private readonly byStatus = new Map<number, number>();
  private n = 0;

  /** Records one refusal. */
  add(error: Pick<SipParseError, 'code' | 'status'>): void {
    this.n++;
    this.byCode.set(error.code, (this.byCode.get(error.code) ?? 0) + 1);
    this.byStatus.set(error.status, (this.byStatus.get(error.status) ?? 0) + 1);
  }

  /** How many refusals with this code. */
  get(code: SipErrorCode): number {
    return this.byCode.get(code) ?? 0;
  }

  /** How many refusals in all. */
  get total(): number {
    return this.n;
  }

  /** Counts by code, codes never seen left out. */
  byCodes(): Partial<Record<SipErrorCode, number>> {
    return Object.fromEntries(this.byCode) as Partial<Record<SipErrorCode, number>>;
  }

  /** Counts by status (0 = dropped without answer). */
  byStatuses(): Record<number, number> {
    return Object.fromEntries(this.byStatus) as Record<number, number>;
  }

  reset(): void {
    this.byCode.clear();
    this.byStatus.clear();
    this.n = 0;
  }
}
