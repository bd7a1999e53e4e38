import type { BatchHandler, InboundRecord } from '@maestro/bus';
import type { TelemetrySample } from '@maestro/contracts';
import { DEFAULT_TENANT, ownedSubject, ownerLookup, projectRecord, projectSample, type ProjectableRecord } from './domain';
import type { ProjectedTopic } from './projected-topics';
import { ProjectionLostError, type Projection, type ProjectionStore } from './projection-store';

export interface ProjectHandlerDeps {
  store: ProjectionStore;
  /** The epoch this replica writes (it changes when the projection is rebuilt). */
  epoch(): string;
  /** Called when Redis lost the projection; the batch is then retried until the rebuild takes over. */
  onLost(error: ProjectionLostError): void;
}

/**
 * One batch of one topic partition: every record projected (pure), then written in one script call.
 * Nothing is refused: a record the read model cannot use (a sample without an asset) is still
 * counted as applied. Records are kept in offset order, which the script's applied offset needs.
 */
export function createProjectHandler(topic: ProjectedTopic, deps: ProjectHandlerDeps): BatchHandler<never> {
  return async (records: InboundRecord<never>[], { partition }) => {
    const inputs = records.map((r) => ({ offset: r.offset, as: topic.as(r.value), value: r.value as unknown }));
    // Audit records and dead letters carry no tenant: one read of their subjects' owners per batch.
    const lookups = inputs.flatMap(({ as }) => (as === 'sample' ? [] : [ownerLookup(as)]).filter((s): s is string => s !== null));
    const owners = lookups.length > 0 ? await deps.store.owners(lookups) : new Map<string, string>();
    const own = (subject: string | null, tenant: string) => (subject && tenant !== DEFAULT_TENANT ? { owner: { subject, tenant } } : {});
    const projections: Projection[] = inputs.map(({ offset, as, value }) => {
      if (as === 'sample') {
        const sample = projectSample(value as TelemetrySample);
        return sample.assetId ? { offset, sample, ...own(sample.assetId, sample.tenant) } : { offset, skip: true };
      }
      const event = projectRecord(as as ProjectableRecord, { topic: topic.spec.name, partition, offset }, owners);
      return { offset, event, ...own(ownedSubject(as, event), event.tenant) };
    });
    try {
      await deps.store.apply(deps.epoch(), { topic: topic.spec.name, partition }, projections);
    } catch (error) {
      if (error instanceof ProjectionLostError) deps.onLost(error);
      throw error;
    }
  };
}
