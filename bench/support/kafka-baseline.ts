import { spawnSync } from 'node:child_process';
import type { Kafka, Message } from 'kafkajs';

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Resolves once the group has committed every partition of the topic up to its end. */
export async function waitForGroupToCatchUp(kafka: Kafka, groupId: string, topic: string, timeoutMs = 600_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const done = ends.every((e) => {
        const c = committed?.partitions.find((p) => p.partition === e.partition);
        return e.high === e.low || (c !== undefined && BigInt(c.offset) >= BigInt(e.high));
      });
      if (done) return;
      if (Date.now() > deadline) throw new Error(`${groupId} did not catch up on ${topic} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.disconnect();
  }
}

export interface BaselineResult {
  recordsPerSecond: number;
  /** CPU (user + system) this process spent producing and consuming the records, per 1,000: load inflates it far less than wall time. */
  cpuMsPerThousandRecords: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/**
 * Raw kafkajs on the same broker: the same encoded records produced in the same chunks and consumed
 * by one consumer (throughput), then single records at the pace the loop is measured at (latency).
 * No decoding, no state, no registry: the floor any Kafka service on this machine stands on.
 */
export async function rawKafkaBaseline(kafka: Kafka, topic: string, records: Message[], latencyCount: number): Promise<BaselineResult> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `${topic}-reader` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const latencies: number[] = [];
  let measuringLatency = false;
  let allSeen: () => void = () => {};
  let target = records.length;
  const reached = () => new Promise<void>((resolve) => { allSeen = resolve; });
  let done = reached();
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) if (measuringLatency) latencies.push(now - Number(m.timestamp));
      seen += batch.messages.length;
      if (seen >= target) allSeen();
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // let the group join before the clock starts
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < records.length; i += 5_000) await producer.send({ topic, messages: records.slice(i, i + 5_000) });
  await done;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);

  measuringLatency = true;
  target = seen + latencyCount;
  done = reached();
  for (let i = 0; i < latencyCount; i++) {
    await producer.send({ topic, messages: [{ ...records[i % records.length]!, timestamp: String(Date.now()) }] });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await done;
  await consumer.disconnect();
  await producer.disconnect();
  latencies.sort((a, b) => a - b);
  return {
    recordsPerSecond: records.length / seconds,
    cpuMsPerThousandRecords: (cpu.user + cpu.system) / 1000 / (records.length / 1000),
    latencyP50Ms: percentile(latencies, 0.5), latencyP99Ms: percentile(latencies, 0.99),
  };
}

/** Benchmarks need the stack like `npm start` does: up, or brought up (and left running). */
export function ensureStack(): void {
  const root = new URL('../..', import.meta.url).pathname;
  const result = spawnSync('bash', [`${root}infra/local/stack.sh`, 'up'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the local stack did not start');
}
