export * from './generated/types';
export { avroSchemas } from './generated/schemas';
export type { SchemaName, TopicSpec, ValueOf } from './topic-spec';
export { topics, allTopics, deadLetterTopicName, deadLetterSchema, deadLetterRetentionMs, type TopicKey } from './topics';
