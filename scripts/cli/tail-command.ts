/**
 * `tail <target>`: decisions read straight from the topics, decoded through the registry with the
 * bus's own codecs. Without --follow the records up to the end are printed in time order (they come
 * from several partitions); with it, each as it arrives until Ctrl-C.
 */
import { allTopics, deadLetterSchema, type TopicSpec } from '@maestro/contracts';
import type { Codecs } from '@maestro/bus';
import type { BusConnection } from './bus-connection';
import { concernsAsset, formatJson, formatLine, recordTimeMs, targetSpecs, type TailRecord, type TailTarget } from './tail-format';
import { tailTopics, type RawRecord } from './topic-tail';

export interface TailRequest {
  target: TailTarget;
  assetId: string | null;
  follow: boolean;
  json: boolean;
  /** Epoch ms to start from, or null for the beginning. */
  startMs: number | null;
}

/** A topic's dead letters, as a spec the codecs can register and decode (same subject the bus registers). */
function deadLetterSpec(spec: TopicSpec): TopicSpec<'maestro.bus.DeadLetter'> {
  return { ...spec, name: `${spec.name}.dlq`, valueSchema: deadLetterSchema, deadLetter: false, description: `dead letters of ${spec.name}` } as TopicSpec<'maestro.bus.DeadLetter'>;
}

/** The specs the target reads that exist on the broker; a missing topic of a single target is an error naming it. */
async function specsToRead(bus: BusConnection, target: TailTarget): Promise<TopicSpec[]> {
  const admin = bus.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    if (target === 'dlq') return allTopics.filter((s) => s.deadLetter).map(deadLetterSpec).filter((s) => existing.has(bus.topicPrefix + s.name));
    const spec = targetSpecs[target];
    if (!existing.has(bus.topicPrefix + spec.name)) {
      throw new Error(`topic ${bus.topicPrefix + spec.name} does not exist on ${bus.brokers.join(',')}: the services create it at start (npm start); check MAESTRO_TOPIC_PREFIX ('${bus.topicPrefix}')`);
    }
    return [spec];
  } finally {
    await admin.disconnect();
  }
}

async function decodeRecord(codecs: Codecs, spec: TopicSpec, target: TailTarget, raw: RawRecord): Promise<TailRecord> {
  const value = await codecs.decode(spec, raw.value);
  return { target, topic: raw.topic, partition: raw.partition, offset: raw.offset, timestampMs: raw.timestampMs, value } as TailRecord;
}

/** Runs the tail, writing one line per record; resolves at the end, or when `stop` does with follow. */
export async function runTail(bus: BusConnection, request: TailRequest, out: (line: string) => void, stop: Promise<void>): Promise<number> {
  const specs = await specsToRead(bus, request.target);
  if (specs.length === 0) {
    // Only dlq can come back empty: no consumer has created a dead-letter topic under this prefix yet.
    process.stderr.write(`maestro: no dead-letter topics under the prefix '${bus.topicPrefix}' on ${bus.brokers.join(',')}: nothing has been dead-lettered (services create them at start)\n`);
    return 0;
  }
  const codecs = await bus.codecs(specs);
  const byTopic = new Map(specs.map((s) => [codecs.topicName(s), s]));
  const show = (record: TailRecord) => out(request.json ? formatJson(record) : formatLine(record));
  const backlog: TailRecord[] = [];
  let undecodable = 0;
  await tailTopics(bus.kafka, [...byTopic.keys()], {
    startMs: request.startMs, follow: request.follow, stop, groupPrefix: bus.topicPrefix,
    async onRecord(raw) {
      if (raw.value === null) return; // a tombstone on a compacted topic: nothing was decided
      let record: TailRecord;
      try {
        record = await decodeRecord(codecs, byTopic.get(raw.topic)!, request.target, raw);
      } catch (error) {
        // Shown, not fatal: one poison record must not hide the rest (it is what dlq is for).
        undecodable++;
        process.stderr.write(`maestro: ${raw.topic}[${raw.partition}]@${raw.offset} cannot be decoded: ${error instanceof Error ? error.message : String(error)}\n`);
        return;
      }
      if (request.assetId !== null && !concernsAsset(record, request.assetId)) return;
      if (request.follow) show(record);
      else backlog.push(record);
    },
  });
  backlog.sort((a, b) => recordTimeMs(a) - recordTimeMs(b));
  backlog.forEach(show);
  return undecodable > 0 ? 1 : 0;
}
