import { describe, expect, it } from 'vitest';
import { isTransientKafkaError, retryTransient } from '../src';

const notLeader = Object.assign(new Error('This server is not the leader for that topic-partition'), { retriable: true });
const wrapped = Object.assign(new Error('Number of retries exceeded'), { retriable: false, originalError: notLeader });
const fatal = Object.assign(new Error('Topic authorization failed'), { retriable: false });

describe('retryTransient', () => {
  it('tells retriable Kafka answers from the rest, through kafkajs wrappers', () => {
    expect([notLeader, wrapped, fatal, new Error('plain'), null].map(isTransientKafkaError)).toEqual([true, true, false, false, false]);
  });

  it('retries a transient failure until it succeeds', async () => {
    let calls = 0;
    const result = await retryTransient(async () => {
      calls++;
      if (calls < 3) throw notLeader;
      return 'ok';
    }, { initialDelayMs: 1 });
    expect({ result, calls }).toEqual({ result: 'ok', calls: 3 });
  });

  it('gives up on a non-transient failure at once, and on a transient one after the attempts', async () => {
    let calls = 0;
    await expect(retryTransient(async () => { calls++; throw fatal; }, { initialDelayMs: 1 })).rejects.toBe(fatal);
    expect(calls).toBe(1);
    calls = 0;
    await expect(retryTransient(async () => { calls++; throw notLeader; }, { attempts: 4, initialDelayMs: 1 })).rejects.toBe(notLeader);
    expect(calls).toBe(4);
  });
});
