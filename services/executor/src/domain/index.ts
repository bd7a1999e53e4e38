/**
 * Executor domain: pure pieces of carrying out healing actions. The adapter claims an action id in
 * Redis, asks `planAfterClaim` what to do, runs the configured runner (`runnerNameFor`), and
 * publishes the one result `toResult` builds.
 */
export { RUN_ERROR_CODES, type RunErrorCode, type RunOutcome, type RunRequest, type Runner } from './runner';
export { ANY_STRATEGY, resolveRunnerTable, runnerNameFor, type RunnerTable, type SpecParser } from './runner-table';
export { RunnerConfigError, specFields, type SpecFields } from './spec-fields';
export { checkTemplate, fillTemplate, MissingParamError } from './placeholders';
export { planAfterClaim, type Claim, type ClaimStep } from './claim';
export { toResult, toRunRequest, type RecordedOutcome } from './request';
export { createOutputExcerpt, excerptOf, type OutputExcerpt } from './output-excerpt';
export { SIGNATURE_HEADER, signatureHeader, verifySignature, type SignatureCheck } from './signature';
export { isRetryableStatus, retryDelayMs } from './backoff';
