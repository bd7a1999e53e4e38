/**
 * The published JSON Schemas (schemas/maestro/v1). They live in libs/protocol because the planner
 * and the dispatcher validate every payload they read from Kafka against the same files.
 */
export { defsSchema, envelopeSchema, maestroSchemas, payloadSchemas, type JsonSchema } from '@maestro/protocol/schemas';
