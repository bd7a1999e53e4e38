import { describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { createBatchConsumer, createKafkaClient, silentLogger, subscription, type BusProducer, type Codecs } from '../src';

describe('a batch consumer', () => {
  it('refuses a topic that has no dead-letter topic: a record it could neither handle nor set aside would hold its partition', () => {
    const spec = { ...topics.audit, deadLetter: false };
    // Nothing connects: the check comes before any client is made.
    const kafka = createKafkaClient({ brokers: ['127.0.0.1:1'], clientId: 'unit', logger: silentLogger });
    expect(() => createBatchConsumer({
      kafka, codecs: { topicName: (s) => s.name } as Codecs, producer: {} as BusProducer, groupId: 'g', logger: silentLogger,
      subscriptions: [subscription(spec, async () => {})],
    })).toThrow('topic audit has no dead-letter topic in the catalog; a consumed topic needs one');
  });
});
