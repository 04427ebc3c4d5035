// The public API of the SIP message layer: parse, read, edit, serialize, build, frame. Transports and transactions
// import from here; see docs/sip.md for the contract (limits, what is refused with which status and why).

export { parseMessage, isKeepAlive, type ParseOptions, type ParseResult, type SipTransport } from './parse.js';
export { SipMessage, contextOf, type HeaderValueError } from './message.js';
export { sanityCheck, checkMaxForwards } from './sanity.js';
export {
  type SipParseError,
  type SipErrorCode,
  type ErrorContext,
  SipErrorCounter,
  REASON_PHRASES,
  STATUS_OF,
  reasonPhrase,
} from './errors.js';
export { type SipLimits, DEFAULT_LIMITS, resolveLimits } from './limits.js';
export {
  type Uri,
  type UriResult,
  type Params,
  type HostType,
  SipUri,
  TelUri,
  OtherUri,
  parseUri,
  percentDecode,
} from './uri.js';
export {
  NameAddr,
  Via,
  type CSeq,
  type AuthValue,
  type MediaType,
  type ReasonValue,
  parseNameAddr,
  parseNameAddrList,
  parseViaValue,
  parseAuth,
  parseMediaType,
  splitList,
  quote,
  unquote,
} from './values.js';
export { H, headerId, canonicalName, normalizeHeaderName, isListHeader, isSingleHeader } from './header-names.js';
export { KNOWN_METHODS } from './methods.js';
export {
  createResponse,
  createErrorResponse,
  buildRequest,
  buildCancel,
  buildAck,
  viaWithSource,
  BUILD_LIMITS,
  type ResponseOptions,
  type ErrorResponseOptions,
  type RequestParts,
  type HeaderInput,
  type SourceAddress,
} from './build.js';
export { SipStreamFramer, type FrameEvent, type FramerOptions } from './framer.js';
