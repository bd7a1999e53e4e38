export { DEFAULT_TENANT, EVENT_KINDS, isEventKind, type EventKind, type ProjectedEvent, type ProjectedSample } from './event';
export { eventId, MAX_DEAD_LETTER_BYTES, MAX_STATE_CHARS, ownedSubject, ownerLookup, projectRecord, projectSample, tenantOf, type Owners, type ProjectableRecord, type RecordOrigin } from './project';
