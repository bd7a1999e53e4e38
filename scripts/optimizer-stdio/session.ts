/**
 * The optimiser core behind a line protocol, for simulators outside the project: one telemetry
 * sample per line in, exactly one answer per line out, in order. Pure: the lines arrive as strings
 * and the answers leave as objects; `main.ts` does the reading and writing.
 *
 * A line is judged as the gateway judges a health signal (`@maestro/telemetry` `validateSignal`:
 * canonical metric names or their unit aliases, ranges, label limits), at the line's own time: a
 * simulator's clock is its own, so no clock-skew or age limit applies. Then it goes through the
 * service's own path (`stepTelemetry`) with the service's configuration. Two conveniences for
 * programs that write JSON by hand:
 * - a label given as a JSON number is read as its decimal string (`"replicas": 4` as `"4"`);
 * - without a `replicas` label, the asset runs the count last answered for it: the loop is closed,
 *   the simulator applies every answer (at least its `ready_replicas`, when it sends that label).
 *   Before any answer, one replica.
 */
import type { TelemetrySample } from '@maestro/contracts';
import { DEFAULT_SIGNAL_LIMITS, validateSignal, type ValidationError } from '@maestro/telemetry';
import type { OptimizerConfig, OptimizerState } from '../../services/optimizer/src/domain';
import { toRecommendationRecord } from '../../services/optimizer/src/recommendation-record';
import { READY_REPLICAS_LABEL, REPLICAS_LABEL } from '../../services/optimizer/src/sample-mapping';
import { stepTelemetry } from '../../services/optimizer/src/telemetry-step';

/** Why a line is not a usable sample. */
export interface LineError {
  readonly code: 'INVALID_JSON' | 'INVALID_SAMPLE';
  readonly reason: string;
  /** The vocabulary's own verdicts (field, code, message), when the line was a JSON object. */
  readonly problems?: readonly ValidationError[];
}

/** The asset a line without `assetId` belongs to. */
export const DEFAULT_ASSET_ID = 'stdio';

/** A label value as a string, when it is one or a finite number; anything else is left for validation to refuse. */
function labelValue(value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
}

/**
 * A line's labels with numbers as their decimal strings and, when the line has no `replicas` label,
 * the count last answered for the asset (`last`), no fewer than the replicas the line says serve.
 */
function closedLoopLabels(raw: Record<string, unknown>, last: number | undefined): Record<string, unknown> {
  const labels = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, labelValue(v)]));
  if (last === undefined || Object.hasOwn(labels, REPLICAS_LABEL)) return labels;
  const ready = Number(labels[READY_REPLICAS_LABEL]);
  return { ...labels, [REPLICAS_LABEL]: String(Number.isInteger(ready) ? Math.max(last, ready) : last) };
}

/**
 * The sample one line holds, or why it is not one. `answered` is the count last answered per asset,
 * which stands in for a `replicas` label the line leaves out.
 */
export function parseSampleLine(line: string, answered: ReadonlyMap<string, number> = new Map()): { sample: TelemetrySample } | LineError {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return { code: 'INVALID_JSON', reason: (error as Error).message };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { code: 'INVALID_SAMPLE', reason: 'a sample is a JSON object' };
  const o = raw as Record<string, unknown>;
  const assetId = o['assetId'] ?? DEFAULT_ASSET_ID;
  const rawLabels = o['labels'] ?? {};
  const last = typeof assetId === 'string' ? answered.get(assetId) : undefined;
  // Labels that are not an object are passed on as they are, for validation to refuse.
  const labels = typeof rawLabels === 'object' && !Array.isArray(rawLabels) ? closedLoopLabels(rawLabels as Record<string, unknown>, last) : rawLabels;
  const timestampMs = o['timestampMs'];
  const judged = validateSignal(
    { assetId, timestampMs, metrics: o['metrics'], region: o['region'], provider: o['provider'], labels },
    { nowMs: Number.isSafeInteger(timestampMs) ? (timestampMs as number) : 0, limits: DEFAULT_SIGNAL_LIMITS },
  );
  if (!judged.ok) return { code: 'INVALID_SAMPLE', reason: judged.errors.map((e) => `${e.field || 'sample'}: ${e.message}`).join('; '), problems: judged.errors };
  const s = judged.signal;
  const tenant = o['tenant'];
  return {
    sample: {
      assetId: s.assetId, timestampMs: s.timestampMs, ingestedAtMs: s.timestampMs, metrics: { ...s.metrics } as Record<string, number>,
      region: s.region ?? null, provider: s.provider ?? null, labels: { ...s.labels }, tenant: typeof tenant === 'string' ? tenant : null,
    },
  };
}

/** One line's answer (see `main.ts` for the three shapes). */
export type LineAnswer = Record<string, unknown>;

/** Per-asset state for the life of one process: answers line after line. */
export class StdioSession {
  private readonly states = new Map<string, OptimizerState>();
  private readonly answered = new Map<string, number>();

  constructor(private readonly config: OptimizerConfig) {}

  /** The answer to line number `lineNo` (counted from 1), or null for a blank line, which gets none. */
  answer(line: string, lineNo: number): LineAnswer | null {
    if (line.trim() === '') return null;
    const parsed = parseSampleLine(line, this.answered);
    if (!('sample' in parsed)) return { error: parsed, line: lineNo };
    const { sample } = parsed;
    const folded = stepTelemetry(this.states.get(sample.assetId) ?? null, sample, this.config);
    if (folded.kind === 'invalid') return { error: { code: 'INVALID_SAMPLE', reason: folded.reason }, line: lineNo };
    if (folded.kind === 'skip') return { assetId: sample.assetId, skipped: folded.reason };
    const { state, recommendation, changed } = folded.result;
    this.states.set(sample.assetId, state);
    this.answered.set(sample.assetId, recommendation.targetReplicas);
    return { ...toRecommendationRecord(recommendation, sample.tenant), replicas: recommendation.targetReplicas, published: changed };
  }
}
