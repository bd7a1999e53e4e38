/**
 * Changing a topic's `max.message.bytes` under a running test and waiting until the broker applies
 * it: how the dead-letter tests make a `.dlq` topic refuse a letter, and take letters again.
 */
import { randomBytes } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { isTooLarge } from '@maestro/bus';
import { eventually } from './environment';

/** kafkajs's ConfigResourceTypes.TOPIC (its enums do not load as named ESM imports). */
const TOPIC_RESOURCE = 2;

/** The header that marks a probe record, for a test's readers to skip. */
export const PROBE_HEADER = 'probe';

/**
 * Whether the topic takes a record of `bytes` now: true, false when the broker refused it as too
 * large, null when the send failed otherwise (a timeout on a loaded machine proves nothing: read as
 * a refusal, it let a test go on before the new limit applied, and a letter due to be lost or cut
 * went through). One it takes carries {@link PROBE_HEADER}; it is keyed `key`, so that it lands on
 * the partition the test's letters go to.
 */
async function takes(raw: Producer, topic: string, key: string, bytes: number): Promise<boolean | null> {
  try {
    await raw.send({ topic, messages: [{ key, value: randomBytes(bytes), headers: { [PROBE_HEADER]: '1' } }] });
    return true;
  } catch (error) {
    return isTooLarge(error) ? false : null;
  }
}

/**
 * Sets the topic's `max.message.bytes` and waits until the broker applies it (it does so a moment
 * after the call returns): until a record of `probe.bytes` is refused, or taken when `probe.taken`.
 */
export async function setMaxMessageBytes(
  kafka: Kafka, raw: Producer, key: string, topic: string, bytes: number, probe: { bytes: number; taken: boolean } | null,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC_RESOURCE, name: topic, configEntries: [{ name: 'max.message.bytes', value: String(bytes) }] }] });
  } finally {
    await admin.disconnect();
  }
  if (probe) await eventually(async () => (await takes(raw, topic, key, probe.bytes)) === probe.taken, 15_000, `${topic} to apply max.message.bytes ${bytes}`);
}
