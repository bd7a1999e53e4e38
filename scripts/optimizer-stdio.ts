/**
 * npm run -s optimizer-stdio: the optimiser core as a closed-loop filter, so any outside simulator
 * can drive it. Each stdin line is one telemetry sample as JSON (the `telemetry.samples` record:
 * assetId, timestampMs, metrics, labels; region, provider, tenant and ingestedAtMs may be left out);
 * each gets exactly one stdout line, in order:
 *
 *   {"assetId":…,"action":…,"targetReplicas":…,…,"replicas":N,"published":bool}  the recommendation
 *        record the service would publish for that sample, plus `replicas` (the count to run, for
 *        every action) and `published` (whether the service would publish it: it changed)
 *   {"assetId":…,"skipped":"reason"}        a sample with no load metric, or not newer than the last
 *   {"error":{"code":…,"reason":…},"line":n} a line that is not a usable sample; the state is unchanged
 *
 * The core and its configuration are the service's: the same OPTIMIZER_* variables, the same
 * defaults. State is kept per asset in memory for the life of the process.
 */
import { createInterface } from 'node:readline';
import avro from 'avsc';
import { avroSchemas, type TelemetrySample } from '@maestro/contracts';
import { loadConfig } from '@maestro/runtime';
import type { OptimizerState } from '../services/optimizer/src/domain';
import { toRecommendationRecord } from '../services/optimizer/src/recommendation-record';
import { optimizerConfigSpec, toOptimizerConfig } from '../services/optimizer/src/service-config';
import { stepTelemetry } from '../services/optimizer/src/telemetry-step';

const sampleType = avro.Type.forSchema(avroSchemas['maestro.telemetry.TelemetrySample'] as avro.Schema);

/** The sample a line holds, with the optional fields defaulted, or why it is not one. */
export function parseSampleLine(line: string): { sample: TelemetrySample } | { code: string; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return { code: 'INVALID_JSON', reason: (error as Error).message };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { code: 'INVALID_SAMPLE', reason: 'a sample is a JSON object' };
  const o = raw as Record<string, unknown>;
  const candidate = {
    assetId: o['assetId'] ?? 'stdio', timestampMs: o['timestampMs'], ingestedAtMs: o['ingestedAtMs'] ?? o['timestampMs'],
    metrics: o['metrics'], region: o['region'] ?? null, provider: o['provider'] ?? null, labels: o['labels'] ?? {}, tenant: o['tenant'] ?? null,
  };
  const problems: string[] = [];
  sampleType.isValid(candidate, { errorHook: (path, value) => problems.push(`${path.join('.') || 'sample'} = ${JSON.stringify(value)} does not fit the TelemetrySample schema`) });
  if (problems.length > 0) return { code: 'INVALID_SAMPLE', reason: problems.join('; ') };
  return { sample: candidate as TelemetrySample };
}

const config = toOptimizerConfig(loadConfig(optimizerConfigSpec, process.env));
const states = new Map<string, OptimizerState>();
let lineNo = 0;

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  lineNo++;
  if (line.trim() === '') continue;
  const parsed = parseSampleLine(line);
  let answer: object;
  if (!('sample' in parsed)) {
    answer = { error: parsed, line: lineNo };
  } else {
    const { sample } = parsed;
    const folded = stepTelemetry(states.get(sample.assetId) ?? null, sample, config);
    if (folded.kind === 'invalid') answer = { error: { code: 'INVALID_SAMPLE', reason: folded.reason }, line: lineNo };
    else if (folded.kind === 'skip') answer = { assetId: sample.assetId, skipped: folded.reason };
    else {
      const { state, recommendation, changed } = folded.result;
      states.set(sample.assetId, state);
      answer = { ...toRecommendationRecord(recommendation, sample.tenant), replicas: recommendation.targetReplicas, published: changed };
    }
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
