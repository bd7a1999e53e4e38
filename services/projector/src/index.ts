/** What the gateway needs to read the projector's model: the event type and the key layout. */
export { DEFAULT_TENANT, EVENT_KINDS, isEventKind, type EventKind, type ProjectedEvent, type ProjectedSample } from './domain';
export { tenantKeys, type TenantKeys } from './read-model-keys';
