import { METRIC_DOMAINS, resolveMetric } from './metrics';
import type { MetricName, Metrics } from './metrics';
import type { ValidationError } from './errors';
import type { SignalLimits } from './limits';
import { describe, isRecord } from './json-shape';
import { acceptedUnitsHint, percentHint } from './unit-hints';

/**
 * Checks the `metrics` map and converts aliases to canonical names and units. Pushes one error per
 * bad entry; returns the normalised metrics, or `undefined` when an error was pushed for the map as
 * a whole (so the caller never mistakes "refused" for "empty").
 */
export function normaliseMetrics(input: unknown, limits: SignalLimits, errors: ValidationError[]): Metrics | undefined {
  if (input === undefined || input === null) {
    errors.push({ field: 'metrics', code: 'no_metrics', message: 'metrics is missing' });
    return undefined;
  }
  if (!isRecord(input)) {
    errors.push({ field: 'metrics', code: 'invalid_metrics', message: `metrics must be an object, got ${describe(input)}` });
    return undefined;
  }
  const entries = Object.entries(input);
  if (entries.length > limits.maxMetrics) {
    // Stop before looking at entries: the bound exists so that a huge record costs O(1) errors.
    errors.push({ field: 'metrics', code: 'too_many_metrics', message: `${entries.length} metric entries, at most ${limits.maxMetrics} allowed` });
    return undefined;
  }
  const metrics: Metrics = {};
  const errorsBefore = errors.length;
  const sentAs = new Map<MetricName, string>();
  for (const [name, value] of entries) {
    const field = `metrics.${name}`;
    // Avro producers send null for an optional metric they did not measure: absent, not zero.
    if (value === null || value === undefined) continue;
    const resolved = resolveMetric(name);
    if (resolved === undefined) {
      const hint = acceptedUnitsHint(name);
      errors.push({ field, code: 'unknown_metric', message: `unknown metric "${name}"${hint ? `: ${hint}` : ''}` });
      continue;
    }
    if (typeof value !== 'number') {
      errors.push({ field, code: 'metric_not_number', message: `${name} must be a number, got ${describe(value)}` });
      continue;
    }
    if (!Number.isFinite(value)) {
      errors.push({ field, code: 'metric_not_finite', message: `${name} must be finite, got ${value}` });
      continue;
    }
    const { canonical } = resolved;
    const previous = sentAs.get(canonical);
    if (previous !== undefined) {
      errors.push({ field, code: 'metric_conflict', message: `${name} and ${previous} both give ${canonical}` });
      continue;
    }
    sentAs.set(canonical, name);
    const converted = resolved.toCanonical(value);
    // A finite value can leave the doubles on conversion (`latency_s: 1e306` is 1e309 ms): judged
    // after conversion, since the converted value is what is published and judged again downstream.
    if (!Number.isFinite(converted)) {
      errors.push({ field, code: 'metric_not_finite', message: `${name} ${value} is not finite as ${canonical} (${converted})` });
      continue;
    }
    const domainError = checkDomain(canonical, name, value, converted);
    if (domainError !== undefined) {
      errors.push({ field, ...domainError });
      continue;
    }
    // -0 passes the range checks; Avro keeps the sign, so fold it to 0 before it reaches a baseline.
    metrics[canonical] = converted === 0 ? 0 : converted;
  }
  // Only when nothing else was wrong: a record whose every metric was refused already says why.
  if (sentAs.size === 0 && errors.length === errorsBefore) {
    errors.push({ field: 'metrics', code: 'no_metrics', message: 'metrics has no value' });
  }
  return metrics;
}

function checkDomain(
  canonical: MetricName,
  name: string,
  value: number,
  converted: number,
): Pick<ValidationError, 'code' | 'message'> | undefined {
  const shown = name === canonical ? `${value}` : `${value} (${converted} ${canonical})`;
  if (METRIC_DOMAINS[canonical] === 'ratio') {
    if (converted < 0 || converted > 1) {
      const hint = name === canonical ? percentHint(canonical, value) : undefined;
      return { code: 'metric_out_of_range', message: `${name} must be within [0, 1] as ${canonical}, got ${shown}${hint ? ` (${hint})` : ''}` };
    }
  } else if (converted < 0) {
    return { code: 'metric_negative', message: `${name} must not be negative, got ${shown}` };
  }
  return undefined;
}
