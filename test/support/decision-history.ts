/**
 * A tenant's history of decisions, put on the real topics the way the services publish them, for
 * tests and benchmarks of what reads it (the projector, the read API, the console) at scale: a fleet
 * of assets, then anomalies, the healer's actions and its audit records, and recommendations. Made
 * here rather than through the detector and healer because tens of thousands of real spikes would
 * take minutes; the records are the services' own types, so the projector cannot tell the difference.
 */
import { topics, type Anomaly, type AssetEvent, type AuditRecord, type HealingAction, type Recommendation, type TopicSpec, type ValueOf } from '@maestro/contracts';
import type { TestBus } from './test-bus';

/** The topics a history is written to (for createTestBus). */
export const historyTopics = [topics.assets, topics.anomalies, topics.healingActions, topics.recommendations, topics.audit] as const;

export interface HistoryShape {
  readonly tenant: string;
  readonly assets: number;
  /** Decision events besides the assets: 60% anomalies, 20% actions, 10% audit records, 10% recommendations. */
  readonly events: number;
  /** The newest record's time; the history spreads over the `spanMs` before it. */
  readonly nowMs: number;
  readonly spanMs: number;
  /** Asset ids are `${assetPrefix}${index}`, zero-padded to 4 digits. */
  readonly assetPrefix?: string;
}

export interface WrittenHistory {
  readonly assetIds: readonly string[];
  /** Records written per kind of the read model. */
  readonly counts: { readonly asset: number; readonly anomaly: number; readonly action: number; readonly audit: number; readonly recommendation: number };
}

const BATCH = 500;
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'ap-south-1'];
const PROVIDERS = ['aws', 'gcp', 'azure'];

async function sendAll<T extends TopicSpec>(bus: TestBus, spec: T, records: { key: string; value: ValueOf<T> }[]): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH) await bus.producer.send(spec, records.slice(i, i + BATCH));
}

/** Writes the history and resolves once every record is acknowledged by the broker. */
export async function writeDecisionHistory(bus: TestBus, shape: HistoryShape): Promise<WrittenHistory> {
  const { tenant, nowMs, spanMs } = shape;
  const assetIds = Array.from({ length: shape.assets }, (_, i) => `${shape.assetPrefix ?? 'node-'}${String(i).padStart(4, '0')}`);
  const anomalies = Math.round(shape.events * 0.6);
  const actions = Math.round(shape.events * 0.2);
  const audits = Math.round(shape.events * 0.1);
  const recommendations = shape.events - anomalies - actions - audits;
  // Evenly over the span, oldest first: record i of n is at nowMs - spanMs * (1 - i / n).
  const at = (i: number, n: number) => Math.round(nowMs - spanMs * (1 - (i + 1) / n));
  const assetOf = (i: number) => assetIds[i % assetIds.length]!;

  const assetRecords = assetIds.map((assetId, i): { key: string; value: AssetEvent } => ({
    key: assetId,
    value: {
      assetId, change: 'added', kind: 'service', name: null, provider: PROVIDERS[i % PROVIDERS.length]!, region: REGIONS[i % REGIONS.length]!,
      capabilities: ['http'], complianceTags: [], labels: { team: `team-${i % 7}` }, sources: ['telemetry'], lastSeenMs: nowMs - spanMs, atMs: nowMs - spanMs, tenant,
    },
  }));
  const anomalyRecords = Array.from({ length: anomalies }, (_, i): { key: string; value: Anomaly } => {
    const assetId = assetOf(i);
    const t = at(i, anomalies);
    return {
      key: assetId,
      value: {
        anomalyId: `${assetId}:latency_ms:${t}:${i}`, assetId, metric: 'latency_ms', kind: 'spike', relatedKinds: [], severity: 0.5 + (i % 50) / 100, score: 0.9,
        value: 900 + (i % 100), sampleTimestampMs: t, detectedAtMs: t, evidence: { zScore: 12 + (i % 10) }, tenant,
      },
    };
  });
  // The healer acts on the newest anomalies: action j answers anomaly (anomalies - actions + j).
  const actionRecords = Array.from({ length: actions }, (_, j): { key: string; value: HealingAction } => {
    const anomaly = anomalyRecords[anomalies - actions + j]!.value;
    return {
      key: anomaly.assetId,
      value: {
        actionId: `${anomaly.anomalyId}#1`, anomalyId: anomaly.anomalyId, assetId: anomaly.assetId, strategy: 'restart', params: {}, dryRun: false, attempt: 1,
        decidedAtMs: anomaly.detectedAtMs + 50, reasons: [`spike severity ${anomaly.severity.toFixed(2)} ≥ 0.5: restart`], tenant,
      },
    };
  });
  // The healer's decision of each of the newest actions.
  const auditRecords = Array.from({ length: audits }, (_, k): { key: string; value: AuditRecord } => {
    const action = actionRecords[actions - audits + k]?.value;
    const subjectId = action?.assetId ?? assetOf(k);
    return {
      key: subjectId,
      value: {
        auditId: `history-audit-${k}`, service: 'healer', kind: 'healing.decision', outcome: 'executed', subjectId,
        reasons: action?.reasons ?? ['history'], detailsJson: JSON.stringify({ tenant, anomalyId: action?.anomalyId, actionId: action?.actionId }),
        traceparent: null, atMs: (action?.decidedAtMs ?? at(k, audits)) + 1,
      },
    };
  });
  const recommendationRecords = Array.from({ length: recommendations }, (_, r): { key: string; value: Recommendation } => {
    const assetId = assetOf(r);
    return {
      key: assetId,
      // The fields the console reads; fields the schema gains later take their Avro defaults when encoded.
      value: {
        assetId, action: 'scale_out', currentReplicas: 4, targetReplicas: 6, targetSize: null, confidence: (r % 100) / 100,
        rationale: `scale_out 4 → 6: saturation at 1.5× target`, evidence: { saturation: 0.9 }, decidedAtMs: at(r, recommendations), tenant,
      } as Partial<Recommendation> as Recommendation,
    };
  });

  // Assets first: the projector learns each asset's tenant from them.
  await sendAll(bus, topics.assets, assetRecords);
  await Promise.all([
    sendAll(bus, topics.anomalies, anomalyRecords),
    sendAll(bus, topics.healingActions, actionRecords),
    sendAll(bus, topics.audit, auditRecords),
    sendAll(bus, topics.recommendations, recommendationRecords),
  ]);
  return { assetIds, counts: { asset: assetRecords.length, anomaly: anomalies, action: actions, audit: audits, recommendation: recommendations } };
}
