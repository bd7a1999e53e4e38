import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BROKER_MAX_MESSAGE_BYTES, checkSendable, COMPRESS_ABOVE_BYTES, sendableBytes } from '../src/producer';
import { BusError } from '../src/errors';

/** JSON state as the services produce it: repetitive, so it compresses well. */
const stateLike = (bytes: number) => Buffer.from(JSON.stringify(Array.from({ length: Math.ceil(bytes / 60) }, (_, i) => ({ stepId: `step-${i}`, status: 'pending', attempts: 0 }))).slice(0, bytes));

describe('sendableBytes', () => {
  it('is the size itself for a record that travels uncompressed', () => {
    const small = Buffer.alloc(COMPRESS_ABOVE_BYTES, 1);
    expect(sendableBytes(small)).toBe(COMPRESS_ABOVE_BYTES);
  });

  it('is the gzip size for a large compressible record, and never more than the record', () => {
    const state = stateLike(1_400_000);
    expect(sendableBytes(state)).toBeLessThan(state.length / 5);
    const noise = randomBytes(100_000);
    expect(sendableBytes(noise)).toBeLessThanOrEqual(noise.length);
  });
});

describe('checkSendable', () => {
  // Regression (F1): a 1.35 MB execution record went to the broker, which refused it; the batch was
  // retried for ever. A record compressed under the limit passes; one that cannot fit is refused
  // before the send, with a permanent (non-retryable) error.
  it('passes a record over the limit that fits compressed', () => {
    const state = stateLike(1_400_000);
    expect(state.length).toBeGreaterThan(BROKER_MAX_MESSAGE_BYTES);
    expect(() => checkSendable('executions', [{ key: 'ch-1', value: state }])).not.toThrow();
  });

  it('refuses a record that cannot fit even compressed with RECORD_TOO_LARGE, not retryable', () => {
    const noise = randomBytes(BROKER_MAX_MESSAGE_BYTES + 1);
    let thrown: unknown;
    try {
      checkSendable('executions', [{ key: 'ch-1', value: Buffer.from('small') }, { key: 'ch-2', value: noise }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BusError);
    expect(thrown).toMatchObject({ code: 'RECORD_TOO_LARGE', retryable: false });
    expect((thrown as Error).message).toContain("key 'ch-2'");
  });
});
