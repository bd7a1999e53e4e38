/**
 * Reading what a `.dlq` topic holds: a dead letter is framed like every value on the bus, and its
 * body is a `maestro.bus.DeadLetter` record.
 */
import avro from 'avsc';
import { avroSchemas, type DeadLetter } from '@maestro/contracts';
import { unframe } from '@maestro/bus';

const deadLetterType = avro.Type.forSchema(avroSchemas['maestro.bus.DeadLetter'] as avro.Schema);

/** Decodes one record's value from a `.dlq` topic. */
export function decodeDeadLetter(value: Buffer | null): DeadLetter {
  return deadLetterType.fromBuffer(value!.subarray(unframe(value).bodyOffset)) as DeadLetter;
}
