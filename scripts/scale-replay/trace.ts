/**
 * Demand traces for the replay: a requests-per-second series read from a file (whitespace-separated
 * numbers, or a CSV with a `value` column such as NAB's) and expanded to one value per second.
 * Between two points of a coarser series the rate is interpolated linearly: a rate sampled every five
 * minutes says nothing about steps inside the five minutes, and a step at every point would be an
 * artefact every policy without lookahead pays for.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** A demand trace at one-second resolution. */
export interface Trace {
  readonly name: string;
  /** Requests per second arriving in each second. */
  readonly demand: Float64Array;
  /** Epoch ms of second 0 (the CSV's first timestamp, else a Monday 00:00 UTC). */
  readonly startMs: number;
  /** Seconds between the source's points. */
  readonly stepS: number;
  /** How far the source's timestamps stray from `stepS`; absent without timestamps. */
  readonly gaps?: TimestampGaps;
}

/**
 * The intervals between a CSV's timestamps that are not its step. The points are read as consecutive,
 * `stepS` apart, whatever their timestamps say: across a gap of hours or days (NAB's traffic series
 * have gaps of up to 3.5 days) a rate interpolated in time is demand no one measured, and the replay
 * would score the policies on it. The report says how many intervals that reading shortens or
 * stretches, so that a user whose trace has them knows.
 */
export interface TimestampGaps {
  /** The step the points are replayed at, in seconds. */
  readonly stepS: number;
  /** Intervals between consecutive timestamps, and how many of them are not the step. */
  readonly intervals: number;
  readonly offStep: number;
  /** The shortest and longest interval, in seconds. */
  readonly shortestS: number;
  readonly longestS: number;
}

/** The timestamps' intervals against `stepS`, to the second. */
function timestampGaps(times: readonly number[], stepS: number): TimestampGaps {
  let offStep = 0;
  let shortestS = Infinity;
  let longestS = -Infinity;
  // A loop, not Math.min(...): a per-second CSV of weeks has millions of intervals.
  for (let i = 1; i < times.length; i++) {
    const g = Math.round((times[i]! - times[i - 1]!) / 1000);
    if (g !== stepS) offStep++;
    shortestS = Math.min(shortestS, g);
    longestS = Math.max(longestS, g);
  }
  return { stepS, intervals: times.length - 1, offStep, shortestS, longestS };
}

/** A file that is not a usable trace; the message says why. */
export class TraceError extends Error {
  override readonly name = 'TraceError';
}

/** Monday 2026-01-05 00:00 UTC: a day and week boundary, so seasonal phases read naturally. */
export const DEFAULT_START_MS = Date.UTC(2026, 0, 5);

/** A duration in the unit that reads best: seconds, minutes, hours or days. */
function duration(s: number): string {
  if (Math.abs(s) < 120) return `${s} s`;
  if (Math.abs(s) < 7_200) return `${(s / 60).toFixed(0)} min`;
  if (Math.abs(s) < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} days`;
}

/** The report's note on a trace whose timestamps stray from its step; null when none do. */
export function describeGaps(gaps: TimestampGaps): string | null {
  if (gaps.offStep === 0) return null;
  return `note: ${gaps.offStep} of ${gaps.intervals} intervals between the timestamps are not the ${gaps.stepS} s step (${duration(gaps.shortestS)} to ${duration(gaps.longestS)}); the points are replayed as consecutive, ${gaps.stepS} s apart`;
}

/** Median gap between consecutive timestamps, in whole seconds (NAB series have irregular gaps). */
function medianStepS(times: readonly number[]): number {
  const gaps = times.slice(1).map((t, i) => t - times[i]!).filter((g) => g > 0).sort((a, b) => a - b);
  if (gaps.length === 0) throw new TraceError('the timestamps never advance');
  return Math.max(1, Math.round(gaps[Math.floor(gaps.length / 2)]! / 1000));
}

/** Parses a CSV with a header: the `value` column (else the last), the `timestamp` column if any. */
function parseCsv(text: string): { values: number[]; times: number[] | null } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase());
  const vi = header.includes('value') ? header.indexOf('value') : header.length - 1;
  const ti = header.indexOf('timestamp');
  const values: number[] = [];
  const times: number[] = [];
  for (const [i, line] of lines.slice(1).entries()) {
    const cells = line.split(',');
    values.push(Number(cells[vi]));
    if (ti >= 0) {
      const raw = (cells[ti] ?? '').trim();
      const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw.replace(' ', 'T')}Z`);
      if (!Number.isFinite(t)) throw new TraceError(`line ${i + 2}: timestamp "${raw}" is not a date`);
      times.push(t);
    }
  }
  return { values, times: ti >= 0 ? times : null };
}

/** Expands points `stepS` apart to one value per second, interpolating linearly between points. */
export function perSecond(points: readonly number[], stepS: number): Float64Array {
  const out = new Float64Array(points.length * stepS);
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1] ?? a;
    for (let k = 0; k < stepS; k++) out[i * stepS + k] = a + (b - a) * (k / stepS);
  }
  return out;
}

/** The file's text; a file that cannot be read is a {@link TraceError} naming it and the reason. */
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new TraceError(`cannot read the trace ${path}: ${reason}`);
  }
}

/** Reads a trace file. `stepS` overrides the step (default: the CSV's median gap, else 1 s). */
export function readTrace(path: string, stepS?: number): Trace {
  const text = readText(path);
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  // A header names columns: a CSV's first line has commas, a one-column file's is a single word. A
  // number line with a stray word in it is not a header; it is refused where the word stands.
  const tokens = firstLine.trim().split(/\s+/);
  const csv = firstLine.includes(',') || (tokens.length === 1 && !Number.isFinite(Number(tokens[0])));
  const { values, times } = csv ? parseCsv(text) : { values: text.split(/\s+/).filter((x) => x !== '').map(Number), times: null };
  if (values.length < 2) throw new TraceError(`${path} holds ${values.length} values; a trace needs at least 2`);
  const bad = values.findIndex((v) => !(Number.isFinite(v) && v >= 0));
  if (bad >= 0) throw new TraceError(`value ${bad + 1} of ${path} is not a rate >= 0`);
  const step = stepS ?? (times ? medianStepS(times) : 1);
  const trace = { name: basename(path), demand: perSecond(values, step), startMs: times?.[0] ?? DEFAULT_START_MS, stepS: step };
  return times === null ? trace : { ...trace, gaps: timestampGaps(times, step) };
}
