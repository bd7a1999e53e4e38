/**
 * Stage 1, parse: the operation exists, the body is within the size and nesting limits and is JSON
 * that can be canonicalised (signatures and hashes are computed over canonical JSON, so a body
 * holding, say, `1e400` — which JSON.parse turns into Infinity — is refused here rather than
 * failing later).
 */
import { CanonicalJsonError, canonicalJson } from './canonical-json';
import { DEFAULT_MAX_JSON_DEPTH, exceedsJsonDepth } from './json-depth';
import type { OperationSpec } from './operations';
import { findOperation } from './operations';
import type { Refusal, StageResult } from './refusal';
import { fail, pass, refuse } from './refusal';

/** Parse limits. */
export interface ParseLimits {
  /** @default 2_097_152 (2 MiB: a 1000-step goal with compensations is well under 1 MiB) */
  readonly maxBodyBytes: number;
  /** Deepest nesting of arrays and objects. @default {@link DEFAULT_MAX_JSON_DEPTH} */
  readonly maxDepth?: number;
}

/** The default parse limits. */
export const DEFAULT_PARSE_LIMITS: ParseLimits = Object.freeze({ maxBodyBytes: 2_097_152, maxDepth: DEFAULT_MAX_JSON_DEPTH });

/** A request that passed parsing: its operation and its body as parsed JSON (not yet validated). */
export interface ParsedRequest {
  readonly operation: OperationSpec;
  readonly body: unknown;
}

/** Parses the raw body of `POST /v1/protocol/{operationName}`. */
export function parseRequest(operationName: string, rawBody: string, limits: ParseLimits): StageResult<ParsedRequest> {
  const found = findOperation(operationName);
  if (!found.ok) return found;
  const bytes = Buffer.byteLength(rawBody, 'utf8');
  if (bytes > limits.maxBodyBytes) {
    return fail(refuse('payload_too_large', [`the body is ${bytes} bytes, over the limit of ${limits.maxBodyBytes}`], { details: { bytes, maxBodyBytes: limits.maxBodyBytes } }));
  }
  const tooDeep = refuseIfTooDeep(rawBody, limits.maxDepth ?? DEFAULT_MAX_JSON_DEPTH);
  if (tooDeep) return fail(tooDeep);
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch (err) {
    return fail(refuse('malformed_json', [`the body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`]));
  }
  const unrepresentable = canonicalisationProblem(body);
  if (unrepresentable) return fail(refuse('malformed_json', [unrepresentable]));
  return pass({ operation: found.value, body });
}

/** The refusal of a JSON text nested deeper than `maxDepth`, or null. Exported for the app-level JSON parser. */
export function refuseIfTooDeep(rawBody: string, maxDepth: number): Refusal | null {
  const depth = exceedsJsonDepth(rawBody, maxDepth);
  if (depth === null) return null;
  return refuse('nesting_too_deep', [`the body nests arrays and objects more than ${maxDepth} levels deep`], { details: { maxDepth } });
}

/** Why a parsed value cannot be canonicalised, or null. Exported for adapters whose framework parses JSON itself. */
export function canonicalisationProblem(body: unknown): string | null {
  try {
    canonicalJson(body);
    return null;
  } catch (err) {
    if (err instanceof CanonicalJsonError) return `the body cannot be signed or hashed as canonical JSON: ${err.message}`;
    throw err;
  }
}
