import { readFileSync } from 'node:fs';
import { TransientError } from '@maestro/bus';
import type { Keyspace, Redis } from '@maestro/state';
import type { ProjectedEvent, ProjectedSample } from './domain';
import { appliedKey, markerKey, ownersKey, tenantKeys, type TenantKeys } from './read-model-keys';

const projectScript = readFileSync(new URL('./lua/project-batch.lua', import.meta.url), 'utf8');
const claimScript = readFileSync(new URL('./lua/claim-epoch.lua', import.meta.url), 'utf8');

/** The scripts as commands (defined below: three keys for the batch, two for the epoch). */
interface ProjectorCommands {
  projectorProjectBatch(marker: string, applied: string, owners: string, ...args: string[]): Promise<[string, number?, number?]>;
  projectorClaimEpoch(marker: string, applied: string, epoch: string): Promise<[string, string]>;
}

/** What one record becomes in the read model: an event, a sample, or nothing (still counted as applied). */
export type Projection = { readonly offset: string; readonly owner?: { readonly subject: string; readonly tenant: string } } & ({ readonly event: ProjectedEvent } | { readonly sample: ProjectedSample } | { readonly skip: true });

/** The bounds of the read model (PROJECTOR_MAX_* variables). */
export interface ProjectionBounds {
  readonly maxEvents: number;
  readonly maxEventsPerAsset: number;
  readonly maxSamplesPerAsset: number;
}

/**
 * Thrown when the marker no longer holds this replica's epoch: Redis lost the read model (or another
 * replica started a new one). Transient: the consumer retries the batch, never dead-letters it, until
 * the rebuild replaces the consumer.
 */
export class ProjectionLostError extends TransientError {
  constructor(epoch: string) {
    super(`the read model's marker no longer holds epoch ${epoch}: Redis lost the projection, rebuilding from Kafka`);
    this.name = 'ProjectionLostError';
  }
}

export interface ProjectionStore {
  /** The current epoch, starting a new one (and dropping the applied offsets) when there is none. */
  claimEpoch(candidate: string): Promise<{ epoch: string; isNew: boolean }>;
  /** The owning tenant of each subject known to have one. */
  owners(subjects: readonly string[]): Promise<Map<string, string>>;
  /** Writes one partition's batch in one round trip; returns how many events were new. */
  apply(epoch: string, source: { topic: string; partition: number }, projections: readonly Projection[]): Promise<{ added: number; skipped: number }>;
}

/** The per-service index an audit record is also in (read-model-keys.ts `auditBy`); none for other events. */
function auditIndex(k: TenantKeys, e: ProjectedEvent): string[] {
  const service = e.kind === 'audit' ? e.record['service'] : undefined;
  return typeof service === 'string' && service !== '' ? [k.auditBy(service)] : [];
}

function entryOf(keys: Keyspace, p: Projection): string {
  const w = p.owner ? { w: [p.owner.subject, p.owner.tenant] } : {};
  if ('sample' in p) {
    const s = p.sample;
    return JSON.stringify({ o: p.offset, ...w, s: { set: tenantKeys(keys, s.tenant).samples(s.assetId), score: String(s.timestampMs), value: JSON.stringify({ timestampMs: s.timestampMs, metrics: s.metrics }) } });
  }
  if ('skip' in p) return JSON.stringify({ o: p.offset });
  const e = p.event;
  const k = tenantKeys(keys, e.tenant);
  const refs = [...e.assetIds.map((a) => k.asset(a)), ...(e.jobId ? [k.job(e.jobId)] : [])];
  return JSON.stringify({
    o: p.offset,
    ...w,
    e: {
      id: e.id, score: String(e.atMs), body: JSON.stringify(e), events: k.events, eventIndex: k.eventIndex, all: k.all, stream: k.stream, trimmed: k.streamTrimmed,
      idx: [k.all, k.kind(e.kind), ...auditIndex(k, e), ...refs], refs,
      ...(e.kind === 'asset' && e.assetId ? { asset: { hash: k.assets, ids: k.assetIds, id: e.assetId } } : {}),
    },
  });
}

export function createProjectionStore(redis: Redis, keys: Keyspace, bounds: ProjectionBounds): ProjectionStore {
  redis.defineCommand('projectorProjectBatch', { lua: projectScript, numberOfKeys: 3 });
  redis.defineCommand('projectorClaimEpoch', { lua: claimScript, numberOfKeys: 2 });
  const commands = redis as unknown as ProjectorCommands;
  return {
    async claimEpoch(candidate) {
      const [epoch, state] = await commands.projectorClaimEpoch(markerKey(keys), appliedKey(keys), candidate);
      return { epoch, isNew: state === 'new' };
    },
    async owners(subjects) {
      const unique = [...new Set(subjects)];
      const out = new Map<string, string>();
      if (unique.length === 0) return out;
      const found = await redis.hmget(ownersKey(keys), ...unique);
      unique.forEach((subject, i) => {
        const tenant = found[i];
        if (tenant) out.set(subject, tenant);
      });
      return out;
    },
    async apply(epoch, source, projections) {
      if (projections.length === 0) return { added: 0, skipped: 0 };
      const last = projections[projections.length - 1]!.offset;
      const [status, added = 0, skipped = 0] = await commands.projectorProjectBatch(
        markerKey(keys), appliedKey(keys), ownersKey(keys), epoch, `${source.topic}:${source.partition}`,
        String(bounds.maxEvents), String(bounds.maxEventsPerAsset), String(bounds.maxSamplesPerAsset), last,
        ...projections.map((p) => entryOf(keys, p)),
      );
      if (status === 'lost') throw new ProjectionLostError(epoch);
      return { added, skipped };
    },
  };
}
