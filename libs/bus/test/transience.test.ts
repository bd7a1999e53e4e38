import { describe, expect, it } from 'vitest';
import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSRequestTimeoutError } from 'kafkajs';
import { BusError, isTransient, TransientError } from '../src';

function withCode(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:6379`), { code });
}

function named(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** What libs/protocol's InfraError does: an I/O failure marked transient, wrapping its cause. */
class MarkedInfraError extends Error {
  readonly transient = true;
}

const tooLarge = new KafkaJSProtocolError({ message: 'The request included a message larger than the max message size the server will accept', type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false } as never);

describe('failure classification', () => {
  it.each([
    ['a TransientError', new TransientError('redis away')],
    ['any error marked transient: true (libs/protocol InfraError)', new MarkedInfraError('ECONNREFUSED')],
    ['a retryable BusError (registry away)', new BusError('REGISTRY_UNAVAILABLE', 'no answer')],
    ['a retryable BusError (request timeout)', new BusError('REQUEST_TIMEOUT', 'late')],
    ['a kafkajs connection error', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED')],
    ['a kafkajs request timeout', new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out')],
    ['kafkajs retries exhausted', new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('broker away'), { retryCount: 5, retryTime: 1000 })],
    ['a Node connection error (ECONNREFUSED)', withCode('ECONNREFUSED')],
    ['a Node connection reset', withCode('ECONNRESET')],
    ['ioredis giving up on a command', named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 3).')],
    ['ioredis with the connection closed', new Error('Connection is closed.')],
    ['Redis loading its snapshot', named('ReplyError', 'LOADING Redis is loading the dataset in memory')],
    ['a fetch timeout', named('TimeoutError', 'The operation was aborted due to timeout')],
    ['a produce the broker did not acknowledge in time', named('ProduceTimeoutError')],
    ['an unmarked wrapper around a connection error', new Error('commit failed', { cause: withCode('ETIMEDOUT') })],
  ])('%s is transient', (_, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['a TypeError from a handler (a bug on this record)', new TypeError("Cannot read properties of undefined (reading 'map')")],
    ['a plain Error', new Error('no such step')],
    ['a non-retryable BusError (decode failed)', new BusError('DECODE_FAILED', 'map claims 10^9 entries')],
    ['a non-retryable BusError (invalid record)', new BusError('INVALID_RECORD', 'latency: got "x"')],
    ['a broker refusing a record as too large', tooLarge],
    ['kafkajs non-retriable wrapper around "too large"', new KafkaJSNonRetriableError(tooLarge)],
    ['a transient-marked I/O wrapper around "too large" (permanent wins)', Object.assign(new MarkedInfraError('send failed'), { cause: tooLarge })],
    ['an error explicitly marked transient: false', Object.assign(new Error('x'), { transient: false, cause: withCode('ECONNRESET') })],
    ['a Redis script error', named('ReplyError', 'ERR user_script:1: attempt to compare nil with number')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
  ])('%s is permanent', (_, error) => {
    expect(isTransient(error)).toBe(false);
  });
});
