/**
 * Every Redis key of the read model, for the projector that writes it and the gateway that reads
 * it: the one place their layout is written down. Per tenant T (URI-encoded, so that a ':' in a
 * tenant cannot make two tenants' keys meet):
 *
 * | key | type | holds |
 * |---|---|---|
 * | events T | hash | event id → the event's JSON |
 * | event-index T | hash | event id → JSON list of the sorted sets it is in (to unlink it when trimmed) |
 * | all T | sorted set | every event id, score = event time; trimmed to PROJECTOR_MAX_EVENTS |
 * | kind T:K | sorted set | the ids of kind K |
 * | audit-by T:S | sorted set | the ids of the audit records service S wrote (the healer's decisions, read apart from the far more numerous rest) |
 * | asset T:A | sorted set | the ids involving asset A (or audit subject A); trimmed to PROJECTOR_MAX_EVENTS_PER_ASSET |
 * | job T:J | sorted set | the ids about job J; same bound |
 * | stream T | stream | every event in projection order (the live feed's ids); about PROJECTOR_MAX_EVENTS long |
 * | stream-trimmed T | string | the newest stream id trimmed away (a client resuming from an older one missed events) |
 * | assets T | hash | asset id → its latest asset event |
 * | asset-ids T | sorted set | asset ids, score 0, for pages in id order |
 * | samples T:A | sorted set | recent metric values of asset A, score = sample time |
 *
 * and globally the marker (the projection's epoch), the applied offsets (topic:partition → last
 * offset projected) and the owners (subject id → tenant, for audit records and dead letters).
 */
import type { Keyspace } from '@maestro/state';

const SERVICE = 'projector';

/** The read model's keys of one tenant. */
export interface TenantKeys {
  readonly events: string;
  readonly eventIndex: string;
  readonly all: string;
  readonly stream: string;
  readonly streamTrimmed: string;
  readonly assets: string;
  readonly assetIds: string;
  kind(kind: string): string;
  auditBy(service: string): string;
  asset(assetId: string): string;
  job(jobId: string): string;
  samples(assetId: string): string;
}

/** The keys of `tenant`'s read model. */
export function tenantKeys(keys: Keyspace, tenant: string): TenantKeys {
  const t = encodeURIComponent(tenant);
  return {
    events: keys.key(SERVICE, 'events', t),
    eventIndex: keys.key(SERVICE, 'event-index', t),
    all: keys.key(SERVICE, 'all', t),
    stream: keys.key(SERVICE, 'stream', t),
    streamTrimmed: keys.key(SERVICE, 'stream-trimmed', t),
    assets: keys.key(SERVICE, 'assets', t),
    assetIds: keys.key(SERVICE, 'asset-ids', t),
    kind: (kind) => keys.key(SERVICE, 'kind', t, kind),
    auditBy: (service) => keys.key(SERVICE, 'audit-by', t, service),
    asset: (assetId) => keys.key(SERVICE, 'asset', t, assetId),
    job: (jobId) => keys.key(SERVICE, 'job', t, jobId),
    samples: (assetId) => keys.key(SERVICE, 'samples', t, assetId),
  };
}

/**
 * The layout of the indexes above, in the marker's name: a projector of a new layout finds no marker
 * and rebuilds from Kafka (the path of a lost Redis) rather than resuming a model without the new
 * indexes. 2: `audit-by` (records projected before it were in no service's index, so the console's
 * incidents lost their decisions until a rebuild).
 */
export const READ_MODEL_LAYOUT = 2;

/** The projection's marker: its epoch, set when a projection starts from nothing. */
export function markerKey(keys: Keyspace): string {
  return keys.global(SERVICE, `marker:layout-${READ_MODEL_LAYOUT}`);
}

/** Subject id (asset, job, charter) → the tenant that owns it, learnt from records that carry a tenant. */
export function ownersKey(keys: Keyspace): string {
  return keys.global(SERVICE, 'owners');
}

/**
 * topic:partition → the last offset projected, per layout as the marker is: during a rolling upgrade
 * a replica of the old layout goes on projecting beside the new one's rebuild, and offsets it
 * applied in a shared hash would make the rebuild skip records it never indexed its own way.
 */
export function appliedKey(keys: Keyspace): string {
  return keys.global(SERVICE, `applied:layout-${READ_MODEL_LAYOUT}`);
}
