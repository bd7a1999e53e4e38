/**
 * The one catalog of reasons a health signal is refused. The gateway maps these to a 4xx response
 * and the ingest consumer to the dead-letter topic, each in exactly one place; neither invents codes.
 *
 * None is retryable: validation is a pure function of the record (and `nowMs`), so redelivering the
 * same record fails the same way. The flag is still spelled out so every consumer of a library
 * catalog can treat them alike.
 */
export const TELEMETRY_ERROR_CODES = {
  invalid_record: { retryable: false, description: 'The record is not a JSON object.' },
  missing_asset_id: { retryable: false, description: 'assetId is absent or empty.' },
  invalid_asset_id: {
    retryable: false,
    description: 'assetId is not a string, is too long, or has characters outside [A-Za-z0-9._:/@-].',
  },
  invalid_timestamp: { retryable: false, description: 'timestampMs is absent or not a non-negative integer.' },
  timestamp_in_future: { retryable: false, description: 'timestampMs is ahead of the receiver clock by more than the allowed skew.' },
  timestamp_too_old: { retryable: false, description: 'timestampMs is older than the maximum accepted age.' },
  invalid_metrics: { retryable: false, description: 'metrics is not an object of name to number.' },
  no_metrics: { retryable: false, description: 'The record carries no metric value at all.' },
  too_many_metrics: { retryable: false, description: 'The record carries more metric entries than allowed.' },
  unknown_metric: { retryable: false, description: 'A metric name is neither a known metric nor a documented alias.' },
  metric_not_number: { retryable: false, description: 'A metric value is not a number.' },
  metric_not_finite: { retryable: false, description: 'A metric value is NaN or infinite, as sent or after unit conversion.' },
  metric_negative: { retryable: false, description: 'A duration, rate, depth or cost is negative.' },
  metric_out_of_range: { retryable: false, description: 'A ratio metric is outside [0, 1] after unit conversion.' },
  metric_conflict: { retryable: false, description: 'A metric is given twice, under its name and an alias (or two aliases).' },
  invalid_labels: { retryable: false, description: 'labels is not an object of string to string.' },
  too_many_labels: { retryable: false, description: 'The record carries more labels than allowed.' },
  invalid_label: { retryable: false, description: 'A label has an empty key or a non-string value.' },
  label_too_long: { retryable: false, description: 'A label key or value is longer than allowed.' },
  invalid_attribute: { retryable: false, description: 'region or provider is present but not a short non-empty string.' },
} as const;

/** A reason a health signal is refused. */
export type TelemetryErrorCode = keyof typeof TELEMETRY_ERROR_CODES;

/** Every code, in catalog order (for docs, metrics labels and exhaustive tests). */
export const TELEMETRY_ERROR_CODE_LIST = Object.freeze(Object.keys(TELEMETRY_ERROR_CODES)) as readonly TelemetryErrorCode[];

/** One problem with one field. A refused record lists all of them, so a producer can fix it in one go. */
export interface ValidationError {
  /** Dotted path of the offending field (`metrics.cpu_percent`, `labels.team`); empty for the record itself. */
  readonly field: string;
  readonly code: TelemetryErrorCode;
  /** Human-readable, includes the offending value or the limit. */
  readonly message: string;
}
