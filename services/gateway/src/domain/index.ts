/**
 * The gateway's pure core: the stages of the MAESTRO pipeline that need no I/O, in order —
 * parse → validate → authenticate → authorise → policy → idempotency (then dispatch and audit, in
 * adapters). Every stage returns a value or a refusal from the one error catalog; nothing here
 * reads a clock, a socket or a file.
 */
export type { ErrorCode, ErrorSpec, Stage } from './errors';
export { errorCatalog, httpStatusOf, isErrorCode, STAGES } from './errors';
export type { Refusal, RefusalBody, StageResult, Success } from './refusal';
export { fail, pass, refusalFromReply, refuse } from './refusal';
export { CanonicalJsonError, canonicalJson } from './canonical-json';
export type { Envelope, RequestBody, SignedFields, SignedRequestBody } from './signature';
export { canonicalRequest, parsePublicKey, rawPublicKeyBase64, SIGNATURE_PREFIX, signRequest, verifySignature } from './signature';
export type { Principal, TrustedCaller, TrustEntry, TrustStore } from './trust-store';
export { compileTrustStore } from './trust-store';
export type { JsonSchema } from './schemas';
export { defsSchema, envelopeSchema, maestroSchemas, payloadSchemas } from './schemas';
export type { OperationName, OperationSpec, Service } from './operations';
export { findOperation, isOperationName, operationNames, operations } from './operations';
export type { ParsedRequest, ParseLimits } from './parse';
export { canonicalisationProblem, DEFAULT_PARSE_LIMITS, parseRequest, refuseIfTooDeep } from './parse';
export { DEFAULT_MAX_JSON_DEPTH, exceedsJsonDepth } from './json-depth';
export type { SchemaError, Validator } from './schema-validation';
export { schemaErrorsToRefusal, validateRequest } from './schema-validation';
export type { AuthConfig, Authenticated, NonceReservation } from './authenticate';
export { authenticate, DEFAULT_AUTH_CONFIG, nonceReservation, refuseIfReplayed } from './authenticate';
export type { AuthoriseInput } from './authorise';
export { authorise, holdsCapability } from './authorise';
export type { PolicyContext, PolicyDecision, PolicyHook, SizeLimits } from './policy';
export { ALLOW, createOperationDenyListHook, createSizeLimitHook, evaluatePolicies } from './policy';
export type { IdempotencyConfig, IdempotencyDecision, IdempotencyRecord, StoredResponse } from './idempotency';
export {
  bodyHash, checkIdempotencyKey, decideIdempotency, DEFAULT_IDEMPOTENCY_CONFIG, IDEMPOTENCY_KEY_PATTERN, idempotencyScope, needsIdempotency, shouldStoreResponse,
} from './idempotency';
