/**
 * What to tell a producer whose metric is in a unit Maestro does not take: which names and units it
 * does take for that quantity. A metric is recognised by its first word (`latency_seconds` is a
 * latency), so a unit Maestro has never heard of still gets an answer naming the ones it knows.
 */
import { METRIC_ALIASES, METRIC_NAMES, type MetricAliasName, type MetricName } from './metrics';

/** The unit of each canonical metric, in words. */
export const METRIC_UNITS: Readonly<Record<MetricName, string>> = Object.freeze({
  latency_ms: 'milliseconds',
  error_rate: 'a fraction of requests, 0 to 1',
  throughput_rps: 'requests per second',
  cpu: 'a fraction of the allocated CPU, 0 to 1',
  saturation: 'a fraction of capacity, 0 to 1',
  queue_depth: 'items waiting',
  unit_cost: 'cost per unit of work',
});

/** The unit of each alias, in words. */
const ALIAS_UNITS: Readonly<Record<MetricAliasName, string>> = Object.freeze({
  latency_s: 'seconds',
  latency_us: 'microseconds',
  error_rate_percent: 'percent',
  throughput_rpm: 'requests per minute',
  cpu_percent: 'percent',
  saturation_percent: 'percent',
});

const firstWord = (name: string) => name.toLowerCase().split(/[_.-]/, 1)[0]!;

/**
 * For an unknown name whose first word is a known metric's, the names and units accepted for that
 * metric ("latency is accepted as latency_ms (milliseconds), latency_s (seconds) or …"); else undefined.
 */
export function acceptedUnitsHint(name: string): string | undefined {
  const word = firstWord(name);
  const canonical = METRIC_NAMES.find((m) => firstWord(m) === word);
  if (canonical === undefined) return undefined;
  const aliases = (Object.keys(METRIC_ALIASES) as MetricAliasName[]).filter((a) => METRIC_ALIASES[a].canonical === canonical);
  const options = [`${canonical} (${METRIC_UNITS[canonical]})`, ...aliases.map((a) => `${a} (${ALIAS_UNITS[a]})`)];
  const listed = options.length === 1 ? options[0]! : `${options.slice(0, -1).join(', ')} or ${options.at(-1)!}`;
  return `${word} is accepted as ${listed}`;
}

/**
 * For a ratio sent over 1 under its canonical name (`cpu: 55`), the percent alias that takes it as
 * sent ("cpu is a fraction of the allocated CPU, 0 to 1: for percent send cpu_percent"); else undefined.
 */
export function percentHint(canonical: MetricName, value: number): string | undefined {
  if (value <= 1 || value > 100) return undefined;
  const alias = (Object.keys(METRIC_ALIASES) as MetricAliasName[]).find((a) => METRIC_ALIASES[a].canonical === canonical && ALIAS_UNITS[a] === 'percent');
  return alias === undefined ? undefined : `${canonical} is ${METRIC_UNITS[canonical]}: for percent send ${alias}`;
}
