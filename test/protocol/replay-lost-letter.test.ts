/**
 * An unreadable state record whose dead letter the `.dlq` topic refuses even as a minimal letter,
 * met by a replay: before, the replay marked it sent all the same, so every later replay skipped it
 * and the error line was its only record outside the state topic. Now it is left unmarked, and the
 * next replay (the recheck while its charter is held) writes the letter once the `.dlq` takes it;
 * the replay after that does not write it again. The replay guard the planner and dispatcher use,
 * on the real Kafka, registry and Redis.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Producer } from 'kafkajs';
import pino from 'pino';
import { topics, type DeadLetter } from '@maestro/contracts';
import { createReplayGuard, heldIndexKey, heldStateKey, type ReplayGuard } from '@maestro/protocol';
import { useBusAndRedis } from '../support/bus-and-redis';
import { PROBE_HEADER, setMaxMessageBytes } from '../support/topic-limits';
import { decodeDeadLetter } from '../support/dead-letters';

const stack = useBusAndRedis('replay-lost-letter', [topics.executions]);
const recordKey = 'acme/ch-lost/g-1';
const logLines: Record<string, unknown>[] = [];
let raw: Producer;
let guard: ReplayGuard;

const executionsTopic = () => stack.bus.codecs.topicName(topics.executions);
const letteredKey = () => stack.keys.global('dispatcher', 'held-lettered');
const dispatcherHeldIndex = () => heldIndexKey(stack.keys, 'dispatcher');

/** The dead letters on `executions.dlq`, probes left out. */
async function letters(): Promise<DeadLetter[]> {
  const found = (await stack.bus.readAll(`${executionsTopic()}.dlq`)).filter((l) => l.headers[PROBE_HEADER] === undefined);
  return found.map((l) => decodeDeadLetter(l.value));
}

const lostLines = () => logLines.filter((l) => String(l.msg).startsWith('an unreadable state record could not be written to its dead-letter topic'));

beforeAll(async () => {
  const { bus, redis, keys } = stack;
  raw = bus.kafka.producer();
  await raw.connect();
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  guard = createReplayGuard({
    kafka: bus.kafka, codecs: bus.codecs, redis, spec: topics.executions, groupPrefix: `${stack.prefix}dispatcher`, producer: bus.producer,
    toEntry: (value) => ({ key: keys.key('dispatcher', 'execution', `${value.tenant}/${value.charterId}`), json: value.stateJson, revision: Number(value.revision), id: value.charterId }),
    markerKey: keys.global('dispatcher', 'replayed'), heldKey: (scope) => heldStateKey(keys, 'dispatcher', scope), heldIndexKey: dispatcherHeldIndex(), letteredKey: letteredKey(),
    logger: pino({ level: 'info' }, logStream),
  });
});

afterAll(async () => {
  await raw?.disconnect();
});

describe('a replay whose dead letter the .dlq refuses even minimal', () => {
  it('leaves the record unmarked, so the recheck after the .dlq takes letters again writes it once', async () => {
    const { bus, redis } = stack;
    const kafka = bus.kafka;
    const dlq = `${executionsTopic()}.dlq`;
    await setMaxMessageBytes(kafka, raw, recordKey, dlq, 100, { bytes: 300, taken: false });
    await bus.producer.sendRaw(executionsTopic(), [{ key: recordKey, value: Buffer.from('{"not":"avro"}') }]);

    await guard.restore();
    const [line] = lostLines();
    expect(line).toMatchObject({ level: 50, topic: executionsTopic(), offset: '0', code: 'NOT_WIRE_FORMAT' });
    expect(lostLines()).toHaveLength(1);
    expect(await redis.smembers(letteredKey())).toEqual([]);
    expect(await redis.smembers(dispatcherHeldIndex())).toEqual(['acme/ch-lost']);
    expect(await letters()).toEqual([]);

    await setMaxMessageBytes(kafka, raw, recordKey, dlq, 1_048_588, { bytes: 50_000, taken: true });
    await guard.recheckHeld();
    const written = await letters();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ errorCode: 'NOT_WIRE_FORMAT', sourceTopic: executionsTopic(), sourceOffset: '0', key: Buffer.from(recordKey) });
    expect(await redis.smembers(letteredKey())).toEqual([`${line!.partition as number}:0`]);
    expect(lostLines()).toHaveLength(1);

    // Still held (the record still cannot be read), rechecked again: the letter is not written twice.
    await guard.recheckHeld();
    expect(await letters()).toHaveLength(1);
    expect(await redis.smembers(dispatcherHeldIndex())).toEqual(['acme/ch-lost']);
  });
});
