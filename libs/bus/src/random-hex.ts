import { randomFillSync } from 'node:crypto';

/**
 * Random hex from a pooled buffer. Every produced record gets a new span id, and one
 * `randomBytes(8)` per record was the ingest's largest single cost in `bench:telemetry` (a system
 * call for each; 2.7 s of CPU per 100,000 samples): drawing from a pool refilled 4 KiB at a time
 * keeps the same cryptographic source at one fill per 512 span ids.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

export function randomHex(bytes: number): string {
  if (bytes > POOL_BYTES) return randomFillSync(Buffer.alloc(bytes)).toString('hex');
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
