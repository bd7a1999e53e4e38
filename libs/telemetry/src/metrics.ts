/**
 * The metric vocabulary of the control plane: canonical names, what values make sense for each, and
 * the unit aliases producers may send instead. The detector and optimiser key their windows by the
 * canonical names, so adding a name here is a contract change.
 */

/** Canonical metric names. */
export const METRIC_NAMES = [
  'latency_ms',
  'error_rate',
  'throughput_rps',
  'cpu',
  'saturation',
  'queue_depth',
  'unit_cost',
] as const;

/** A canonical metric name. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** Metric values of one sample. A metric the producer did not measure is absent, never 0. */
export type Metrics = Partial<Record<MetricName, number>>;

/**
 * `ratio`: a fraction in [0, 1]. `non_negative`: a duration, rate, depth or cost, where a negative
 * number can only be a producer bug (a clock going backwards, a counter reset subtracted).
 */
export type MetricDomain = 'ratio' | 'non_negative';

/** Which values each canonical metric accepts. */
export const METRIC_DOMAINS: Readonly<Record<MetricName, MetricDomain>> = Object.freeze({
  latency_ms: 'non_negative',
  error_rate: 'ratio',
  throughput_rps: 'non_negative',
  cpu: 'ratio',
  saturation: 'ratio',
  queue_depth: 'non_negative',
  unit_cost: 'non_negative',
});

/**
 * A documented alternative unit. Conversion divides or multiplies by an exact integer so that, for
 * example, `cpu_percent: 7` becomes exactly `0.07` (multiplying by 0.01 would not round the same).
 */
export type MetricAlias =
  | { readonly canonical: MetricName; readonly multiplyBy: number }
  | { readonly canonical: MetricName; readonly divideBy: number };

/** The aliases producers may send; each is converted to its canonical metric before range checks. */
export const METRIC_ALIASES = Object.freeze({
  latency_s: { canonical: 'latency_ms', multiplyBy: 1000 },
  latency_us: { canonical: 'latency_ms', divideBy: 1000 },
  error_rate_percent: { canonical: 'error_rate', divideBy: 100 },
  throughput_rpm: { canonical: 'throughput_rps', divideBy: 60 },
  cpu_percent: { canonical: 'cpu', divideBy: 100 },
  saturation_percent: { canonical: 'saturation', divideBy: 100 },
} as const satisfies Record<string, MetricAlias>);

/** A name a producer may send: canonical or alias. */
export type MetricAliasName = keyof typeof METRIC_ALIASES;

const canonicalNames: ReadonlySet<string> = new Set(METRIC_NAMES);

/** True when `name` is a canonical metric name. */
export function isMetricName(name: string): name is MetricName {
  return canonicalNames.has(name);
}

/**
 * Resolves a name as sent by a producer to its canonical metric and a converter to canonical units,
 * or `undefined` when the name is unknown.
 */
export function resolveMetric(name: string): { canonical: MetricName; toCanonical: (value: number) => number } | undefined {
  if (isMetricName(name)) return { canonical: name, toCanonical: (value) => value };
  // Own-property check: a name such as `toString` must not resolve through the prototype.
  if (!Object.hasOwn(METRIC_ALIASES, name)) return undefined;
  const alias: MetricAlias = METRIC_ALIASES[name as MetricAliasName];
  if ('divideBy' in alias) return { canonical: alias.canonical, toCanonical: (value) => value / alias.divideBy };
  return { canonical: alias.canonical, toCanonical: (value) => value * alias.multiplyBy };
}
