import type { ValidationError } from './errors';
import { isRecord, describe } from './json-shape';
import { normaliseAttribute, normaliseLabels } from './labels';
import type { SignalLimits } from './limits';
import { normaliseMetrics } from './metric-values';
import type { HealthSignal, ValidationResult } from './signal';

/** What `validateSignal` needs besides the record. */
export interface ValidateOptions {
  /** The receiver clock, epoch milliseconds; passed in so validation is replayable. */
  readonly nowMs: number;
  /** Resolved once at boot with `resolveSignalLimits`. */
  readonly limits: SignalLimits;
}

// Asset ids end up in Kafka keys, Redis keys and log lines: no whitespace, no control characters,
// and a leading alphanumeric so that a key prefix such as `:` or `/` cannot be forged.
const ASSET_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/;

/**
 * Validates and normalises one health signal. The gateway (before publishing) and ingest (before
 * admitting) both call this, so a record is judged by one set of rules. Every problem is reported,
 * not just the first. Unknown top-level fields are ignored so producers can roll out new fields
 * before the control plane reads them.
 */
export function validateSignal(input: unknown, options: ValidateOptions): ValidationResult {
  if (!isRecord(input)) {
    return { ok: false, errors: [{ field: '', code: 'invalid_record', message: `record must be an object, got ${describe(input)}` }] };
  }
  const { limits } = options;
  const errors: ValidationError[] = [];
  const assetId = checkAssetId(input.assetId, limits, errors);
  const timestampMs = checkTimestamp(input.timestampMs, options, errors);
  const metrics = normaliseMetrics(input.metrics, limits, errors);
  const region = normaliseAttribute('region', input.region, limits, errors);
  const provider = normaliseAttribute('provider', input.provider, limits, errors);
  const labels = normaliseLabels(input.labels, limits, errors);
  if (errors.length > 0 || assetId === undefined || timestampMs === undefined || metrics === undefined || labels === undefined) {
    return { ok: false, errors };
  }
  const signal: HealthSignal = {
    timestampMs,
    assetId,
    metrics,
    ...(region === undefined ? {} : { region }),
    ...(provider === undefined ? {} : { provider }),
    labels,
  };
  return { ok: true, signal };
}

function checkAssetId(input: unknown, limits: SignalLimits, errors: ValidationError[]): string | undefined {
  if (input === undefined || input === null || input === '') {
    errors.push({ field: 'assetId', code: 'missing_asset_id', message: 'assetId is required' });
  } else if (typeof input !== 'string') {
    errors.push({ field: 'assetId', code: 'invalid_asset_id', message: `assetId must be a string, got ${describe(input)}` });
  } else if (input.length > limits.maxAssetIdLength) {
    errors.push({ field: 'assetId', code: 'invalid_asset_id', message: `assetId has ${input.length} characters, at most ${limits.maxAssetIdLength} allowed` });
  } else if (!ASSET_ID.test(input)) {
    errors.push({ field: 'assetId', code: 'invalid_asset_id', message: `assetId ${JSON.stringify(input)} has characters outside [A-Za-z0-9._:/@-] or does not start with a letter or digit` });
  } else {
    return input;
  }
  return undefined;
}

function checkTimestamp(input: unknown, { nowMs, limits }: ValidateOptions, errors: ValidationError[]): number | undefined {
  if (input === undefined) {
    errors.push({ field: 'timestampMs', code: 'invalid_timestamp', message: 'timestampMs is required (epoch ms)' });
    return undefined;
  }
  if (typeof input !== 'number' || !Number.isSafeInteger(input) || input < 0) {
    errors.push({ field: 'timestampMs', code: 'invalid_timestamp', message: `timestampMs must be a non-negative integer (epoch ms), got ${describe(input)}` });
    return undefined;
  }
  const aheadMs = input - nowMs;
  if (aheadMs > limits.maxClockSkewMs) {
    errors.push({ field: 'timestampMs', code: 'timestamp_in_future', message: `timestampMs is ${aheadMs} ms ahead of the receiver, at most ${limits.maxClockSkewMs} ms allowed` });
    return undefined;
  }
  const ageMs = nowMs - input;
  if (ageMs > limits.maxAgeMs) {
    errors.push({ field: 'timestampMs', code: 'timestamp_too_old', message: `timestampMs is ${ageMs} ms old, at most ${limits.maxAgeMs} ms allowed` });
    return undefined;
  }
  return input;
}
