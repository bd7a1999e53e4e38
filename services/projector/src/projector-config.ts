/** The projector's variables: the read model's bounds. */
import { integer, type ConfigOf } from '@maestro/runtime';

export const projectorConfigSpec = {
  maxEvents: integer('PROJECTOR_MAX_EVENTS', 'Most events kept per tenant (all kinds together); the oldest go first', { default: 100_000, min: 100 }),
  maxEventsPerAsset: integer('PROJECTOR_MAX_EVENTS_PER_ASSET', 'Most events kept in one asset\'s (or job\'s) timeline', { default: 500, min: 10 }),
  maxSamplesPerAsset: integer('PROJECTOR_MAX_SAMPLES_PER_ASSET', 'Most recent metric samples kept per asset for its page', { default: 120, min: 1 }),
};

export type ProjectorConfig = ConfigOf<typeof projectorConfigSpec>;
