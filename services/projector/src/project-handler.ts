import type { BatchHandler, InboundRecord } from '@maestro/bus';
import type { TelemetrySample } from '@maestro/contracts';
import { projectRecord, projectSample } from './domain';
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
    const projections: Projection[] = records.map((r) => {
      const as = topic.as(r.value);
      if (as === 'sample') {
        const sample = r.value as TelemetrySample;
        return sample.assetId ? { offset: r.offset, sample: projectSample(sample) } : { offset: r.offset, skip: true };
      }
      return { offset: r.offset, event: projectRecord(as, { topic: topic.spec.name, partition, offset: r.offset }) };
    });
    try {
      await deps.store.apply(deps.epoch(), { topic: topic.spec.name, partition }, projections);
    } catch (error) {
      if (error instanceof ProjectionLostError) deps.onLost(error);
      throw error;
    }
  };
}
