/**
 * The read model's one record: a decision Maestro published, as the read API and the live stream
 * serve it. Every topic's record becomes one of these (./project.ts); the gateway reads them back.
 */

/** What an event is about; one per decision topic (plus dead letters). */
export const EVENT_KINDS = [
  'asset', 'anomaly', 'action', 'result', 'recommendation', 'job', 'routing', 'plan', 'execution', 'audit', 'dead_letter',
] as const;

/** An event kind. */
export type EventKind = (typeof EVENT_KINDS)[number];

/** True when `value` names an event kind. */
export function isEventKind(value: string): value is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(value);
}

/**
 * The tenant of records that carry none: records written before the `tenant` field existed, telemetry
 * posted without a token, audit records and dead letters whose source did not say. They are readable
 * with a token of this tenant, never by another tenant.
 */
export const DEFAULT_TENANT = 'default';

/** One projected decision. */
export interface ProjectedEvent {
  /** `<topic>:<partition>:<offset>` of the source record (topic without the deployment prefix): unique and stable across rebuilds. */
  readonly id: string;
  readonly kind: EventKind;
  readonly tenant: string;
  /** When the decision was made (the record's own time field), epoch ms; the order of every index. */
  readonly atMs: number;
  /** The asset it is about, if any (the chosen asset of a routing decision). */
  readonly assetId: string | null;
  /** Every asset it involves (a routing decision's candidates, fallbacks and rejections), the main one first. */
  readonly assetIds: readonly string[];
  readonly jobId: string | null;
  /** In [0, 1] for anomalies; null for every other kind. */
  readonly severity: number | null;
  /** One line for people: what happened. */
  readonly summary: string;
  /** The record as published (Avro as JSON; bytes as base64), bounded: see ./project.ts. */
  readonly record: Readonly<Record<string, unknown>>;
}

/** A recent metric value of an asset, kept for its page (not an event: samples are too many). */
export interface ProjectedSample {
  readonly tenant: string;
  readonly assetId: string;
  readonly timestampMs: number;
  readonly metrics: Readonly<Record<string, number>>;
}
