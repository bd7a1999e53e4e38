import { BusError } from './errors';

/**
 * Confluent wire format: one magic byte (0), the schema id as a big-endian int32, then the Avro
 * binary body. Every record on a Maestro topic is framed this way, so any Confluent-compatible
 * client can read it.
 */
const MAGIC = 0;
const HEADER_BYTES = 5;

export function frame(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeUInt8(MAGIC, 0);
  out.writeInt32BE(schemaId, 1);
  body.copy(out, HEADER_BYTES);
  return out;
}

export interface Unframed {
  schemaId: number;
  /** Offset at which the Avro body starts; decoding reads from here without copying. */
  bodyOffset: number;
}

export function unframe(value: Buffer | null): Unframed {
  if (!value || value.length < HEADER_BYTES || value.readUInt8(0) !== MAGIC) {
    throw new BusError('NOT_WIRE_FORMAT', `expected a Confluent wire-format value, got ${value ? `${value.length} bytes starting 0x${value.subarray(0, 1).toString('hex')}` : 'no value'}`);
  }
  return { schemaId: value.readInt32BE(1), bodyOffset: HEADER_BYTES };
}
