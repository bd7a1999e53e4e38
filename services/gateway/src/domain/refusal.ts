/**
 * The two response shapes of every MAESTRO call: `{ result, audit }` on success and
 * `{ refused: { stage, code, reasons, details? } }` on refusal. Refusals are values with the same
 * audit weight as success; stage functions return them and never throw.
 */
import type { ErrorCode, Stage } from './errors';
import { errorCatalog, isErrorCode } from './errors';

/** Why a call was refused: the stage, a catalog code, reasons in words (with the numbers) and optional structure. */
export interface RefusalBody {
  readonly stage: Stage;
  readonly code: ErrorCode;
  readonly reasons: readonly string[];
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The refusal response; `audit` is the audit record id once the lead's audit stage has written it. */
export interface Refusal {
  readonly refused: RefusalBody;
  readonly audit?: string;
}

/** The success response: the service's result and the id of the audit record that cites it. */
export interface Success<T> {
  readonly result: T;
  readonly audit: string;
}

/** What each pure stage returns: its value, or a refusal. */
export type StageResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal };

/**
 * Builds a refusal. The stage defaults to the code's stage in the catalog; pass `stage` for codes
 * that can arise anywhere (`internal`, `unavailable`).
 */
export function refuse(code: ErrorCode, reasons: readonly string[], options: { details?: Readonly<Record<string, unknown>>; stage?: Stage } = {}): Refusal {
  const body: RefusalBody = { stage: options.stage ?? errorCatalog[code].stage, code, reasons };
  return { refused: options.details === undefined ? body : { ...body, details: options.details } };
}

/** Wraps a stage's value. */
export function pass<T>(value: T): StageResult<T> {
  return { ok: true, value };
}

/** Wraps a refusal as a stage result. */
export function fail<T>(refusal: Refusal): StageResult<T> {
  return { ok: false, refusal };
}

/**
 * Turns a refusal code that came back in a ProtocolReply into a gateway refusal. A code the catalog
 * does not know is Maestro's own bug (a service and the gateway out of step), so it becomes
 * `internal` rather than being passed through with a guessed status.
 */
export function refusalFromReply(code: string, reasons: readonly string[], details?: Readonly<Record<string, unknown>>): Refusal {
  if (isErrorCode(code)) return refuse(code, reasons, details === undefined ? {} : { details });
  return refuse('internal', [`the service answered with refusal code '${code}', which the gateway's catalog does not know`, ...reasons], { details: { code } });
}
