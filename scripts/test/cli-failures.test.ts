/** How the CLI reports what it cannot do: a missing payload file, an unreachable broker or registry. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/arguments';
import { explainBusFailure } from '../cli/bus-connection';
import { payloadText } from '../cli/protocol-call';

describe('payloadText', () => {
  it('regression: a --payload-file that does not exist was a crash (ENOENT, exit 1), now a usage error naming the file', () => {
    expect(() => payloadText({ payload: null, payloadFile: '/nonexistent/goal.json' })).toThrow(UsageError);
    expect(() => payloadText({ payload: null, payloadFile: '/nonexistent/goal.json' })).toThrow("the payload file '/nonexistent/goal.json' does not exist");
  });

  it('reads a file that exists, and an inline payload as given', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'maestro-cli-payload-')), 'p.json');
    writeFileSync(file, '{"charterId":"c1"}');
    expect(payloadText({ payload: null, payloadFile: file })).toBe('{"charterId":"c1"}');
    expect(payloadText({ payload: '{}', payloadFile: null })).toBe('{}');
  });
});

describe('explainBusFailure', () => {
  const bus = { brokers: ['k1:9092', 'k2:9092'], registryUrl: 'http://registry:8081' };

  it('names the brokers when Kafka does not answer', () => {
    const explained = explainBusFailure(new Error('Connection error: connect ECONNREFUSED 10.0.0.1:9092'), bus) as Error;
    expect(explained.message).toBe('the Kafka broker at k1:9092,k2:9092 is not reachable (Connection error: connect ECONNREFUSED 10.0.0.1:9092): '
      + 'start the stack with `npm start` (or only Kafka, the registry and Redis: `npm run stack:up`), or set KAFKA_BROKERS');
  });

  it('names the registry when registering or fetching a schema found nobody, down the cause chain', () => {
    const failure = new Error('registering maestro.detection.Anomaly under subject p.anomalies-value failed: fetch failed', { cause: new Error('connect ECONNREFUSED') });
    expect((explainBusFailure(failure, bus) as Error).message).toMatch(/^the schema registry at http:\/\/registry:8081 is not reachable \(connect ECONNREFUSED\): .*SCHEMA_REGISTRY_URL$/);
  });

  it('names the registry when it took a connection and did not answer in time (SCHEMA_REGISTRY_TIMEOUT_MS)', () => {
    const failure = new Error('registering maestro.detection.Anomaly under subject p.anomalies-value failed: Confluent_Schema_Registry - Timeout (10000ms)');
    expect((explainBusFailure(failure, bus) as Error).message).toMatch(/^the schema registry at http:\/\/registry:8081 is not reachable \(registering .* Timeout \(10000ms\)\): .*SCHEMA_REGISTRY_URL$/);
  });

  it('leaves any other error as it was', () => {
    const other = new Error('topic p.audit does not exist');
    expect(explainBusFailure(other, bus)).toBe(other);
  });
});
