/**
 * Regression: a dead letter that its `.dlq` topic refuses for good (a record near the broker's limit
 * plus the letter's own fields, or a `.dlq` with a smaller `max.message.bytes`) was retried forever,
 * and the partition behind it stalled. Now the letter is summarised until it fits (reason, source,
 * offset, a prefix of the payload, the sizes); when even the minimal letter is refused, the record is
 * skipped with an error log line, `maestro_dead_letters_lost_total` and a readiness report.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { Producer } from 'kafkajs';
import { topics, type DeadLetter } from '@maestro/contracts';
import { createBatchConsumer, createBusMetrics, subscription, type BatchConsumer, type Logger } from '@maestro/bus';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { latencySignal } from '../support/fleet';
import { PROBE_HEADER, setMaxMessageBytes as setLimit } from '../support/topic-limits';
import { decodeDeadLetter } from '../support/dead-letters';

const prefix = uniquePrefix('dlq-bound');
const topic = `${prefix}telemetry.raw`;
const key = 'asset-dlq';
const metrics = new Registry();
let bus: TestBus;
let raw: Producer;
let consumer: BatchConsumer;
const handled: number[] = [];
const errors: { obj: Record<string, unknown>; msg: string | undefined }[] = [];

/** Keeps the consumer's error lines: for a lost letter, the log line is its only record. */
const capturing: Logger = {
  debug() {}, info() {}, warn() {},
  error(obj, msg) {
    errors.push({ obj: obj as Record<string, unknown>, msg });
  },
  child() {
    return capturing;
  },
};

/** Sets a topic's `max.message.bytes` and waits for it (topic-limits.ts), probing on the letters' partition. */
function setMaxMessageBytes(name: string, bytes: number, probe: { bytes: number; taken: boolean } | null): Promise<void> {
  return setLimit(bus.kafka, raw, key, name, bytes, probe);
}

async function letters(atLeast: number): Promise<{ letter: DeadLetter; headers: Record<string, string> }[]> {
  return eventually(async () => {
    const found = (await bus.readAll(`${topic}.dlq`)).filter((l) => l.headers[PROBE_HEADER] === undefined);
    return found.length >= atLeast && found.map((l) => ({ letter: decodeDeadLetter(l.value), headers: l.headers }));
  }, 30_000, `${atLeast} dead letter(s)`);
}

/** Garbage (not the wire format: dead-lettered as NOT_WIRE_FORMAT), then a valid signal behind it on the same partition. */
async function poisonThenValid(garbage: Buffer, latency: number): Promise<void> {
  await raw.send({ topic, messages: [{ key, value: garbage, headers: { origin: 'x'.repeat(500) } }] });
  await bus.producer.send(topics.telemetryRaw, [{ key, value: latencySignal(key, Date.now(), latency) }]);
}

async function lostCount(): Promise<number> {
  const text = await metrics.getSingleMetricAsString('maestro_dead_letters_lost_total');
  const line = text.split('\n').find((l) => l.startsWith('maestro_dead_letters_lost_total{') && l.includes('code="NOT_WIRE_FORMAT"'));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/**
 * Random bytes that are never the wire format: a first byte of 0 is its magic byte, and one random
 * payload in 256 would then be read as a framed value and dead-lettered as UNKNOWN_SCHEMA instead.
 */
function notWireFormat(size: number): Buffer {
  const bytes = randomBytes(size);
  bytes[0] = 0xff;
  return bytes;
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw]);
  raw = bus.kafka.producer();
  await raw.connect();
  consumer = createBatchConsumer({
    kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}reader`, logger: capturing,
    metrics: createBusMetrics(metrics), stallAfterMs: 2_000, maxRetryBackoffMs: 300,
    subscriptions: [subscription(topics.telemetryRaw, async (records) => {
      handled.push(...records.map((r) => r.value.metrics.latency_ms!));
    })],
  });
  await consumer.start();
});

afterAll(async () => {
  await raw?.disconnect();
  await consumer?.stop();
  await bus?.close();
});

describe('a dead letter its .dlq topic cannot take whole', () => {
  it('is summarised before sending when it would pass the broker\'s limit, and the records behind it flow', async () => {
    // A source topic allowed larger records than its .dlq: the letter, payload and all, cannot fit.
    await setMaxMessageBytes(topic, 2_000_000, null);
    const garbage = notWireFormat(1_200_000);
    // Sent again until the broker applied the topic's new limit (no probe here: the consumer would read it).
    await eventually(async () => {
      try {
        await raw.send({ topic, messages: [{ key, value: garbage }] });
        return true;
      } catch {
        return false;
      }
    }, 15_000, 'the source topic to take a 1.2 MB record');
    await bus.producer.send(topics.telemetryRaw, [{ key, value: latencySignal(key, Date.now(), 0) }]);
    await eventually(() => handled.includes(0), 30_000, 'the record behind the poison');
    const { letter } = (await letters(1))[0]!;
    expect(letter).toMatchObject({ errorCode: 'NOT_WIRE_FORMAT', sourceOffset: '0', headers: [] });
    expect(letter.value!.equals(garbage.subarray(0, 16 * 1024))).toBe(true);
    expect(letter.reason).toMatch(/value 1200000 bytes \(first 16384 kept\)/);
  });

  it('is written as a summary that fits when the .dlq topic refuses it whole, and the records behind it flow', async () => {
    await setMaxMessageBytes(`${topic}.dlq`, 20_000, { bytes: 30_000, taken: false });
    const garbage = notWireFormat(100_000);
    await poisonThenValid(garbage, 1);
    await eventually(() => handled.includes(1), 30_000, 'the record behind the poison');

    const { letter, headers } = (await letters(2))[1]!;
    expect(letter).toMatchObject({ errorCode: 'NOT_WIRE_FORMAT', sourceTopic: topic, sourceOffset: '2', key: Buffer.from(key), headers: [] });
    expect(letter.value!.equals(garbage.subarray(0, 16 * 1024))).toBe(true);
    expect(letter.reason).toMatch(/wire-format.*\[dead letter summarised to fit the \.dlq topic: value 100000 bytes \(first 16384 kept\), key 9 bytes \(first 9 kept\), 1 headers of 506 bytes dropped/);
    expect(headers['maestro-dlq-summary']).toMatch(/^value 100000 bytes/);
    expect(consumer.stalled()).toEqual([]);
  });

  it('is cut to a minimal letter (no payload) when the summary is still too large', async () => {
    await setMaxMessageBytes(`${topic}.dlq`, 1_500, { bytes: 5_000, taken: false });
    await poisonThenValid(notWireFormat(30_000), 2);
    await eventually(() => handled.includes(2), 30_000, 'the record behind the poison');
    const found = await letters(3);
    expect(found[2]!.letter).toMatchObject({ sourceOffset: '4', value: Buffer.alloc(0), errorCode: 'NOT_WIRE_FORMAT' });
    expect(found[2]!.letter.reason).toMatch(/value 30000 bytes \(first 0 kept\)/);
  });

  it('when refused even minimal, is skipped with an error line carrying it, a metric and a readiness report, until letters go through again', async () => {
    await setMaxMessageBytes(`${topic}.dlq`, 100, { bytes: 300, taken: false });
    const garbage = notWireFormat(5_000);
    await poisonThenValid(garbage, 3);
    await eventually(() => handled.includes(3), 30_000, 'the record behind the lost letter');

    expect(await lostCount()).toBe(1);
    const line = errors.find((e) => e.msg?.startsWith('dead letter undeliverable'));
    expect(line?.obj).toMatchObject({ topic, offset: '6', code: 'NOT_WIRE_FORMAT', valuePrefix: garbage.subarray(0, 1_024).toString('base64') });
    expect(String(line?.obj.sizes)).toMatch(/value 5000 bytes/);
    const [report] = await eventually(() => consumer.stalled().length > 0 && consumer.stalled(), 10_000, 'readiness to report the lost letter');
    expect(report).toMatchObject({ topic, offset: '6' });
    expect(report!.error).toMatch(/dead letter of offset 6 \(NOT_WIRE_FORMAT\) was refused by .*\.dlq for good and the record skipped/);

    // The .dlq takes letters again: the next one is written and the report clears.
    await setMaxMessageBytes(`${topic}.dlq`, 1_048_588, { bytes: 50_000, taken: true });
    await poisonThenValid(Buffer.from('not avro either'), 4);
    await eventually(() => handled.includes(4), 30_000, 'the record behind the next poison');
    await eventually(() => consumer.stalled().length === 0, 10_000, 'the report cleared once a letter went through');
    const found = await letters(4);
    expect(found.map((f) => f.letter.sourceOffset)).toEqual(['0', '2', '4', '8']);
  });
});
