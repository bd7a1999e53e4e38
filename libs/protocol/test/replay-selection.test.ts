import { describe, expect, it } from 'vitest';
import { scopeOfRecordKey, selectReplay, type ReadRecord, type ReplayEntry } from '../src/compacted-replay';

const entry = (key: string, revision: number, id = 'acme/ch-1'): ReplayEntry => ({ key, json: `{"revision":${revision}}`, revision, id });
const readable = (recordKey: string | null, e: ReplayEntry | null): ReadRecord => ({ recordKey, entry: e });
const unreadable = (recordKey: string | null): ReadRecord => ({ recordKey, unreadable: { code: 'DECODE_FAILED', reason: 'bad bytes' } });

describe('scopeOfRecordKey', () => {
  it('is the tenant and charter id a state record key starts with', () => {
    expect(scopeOfRecordKey('acme/ch-1')).toBe('acme/ch-1');
    expect(scopeOfRecordKey('acme/ch-1/g-report')).toBe('acme/ch-1');
    expect(scopeOfRecordKey('acme/ch-1/g-report/v3')).toBe('acme/ch-1');
  });

  it('is null for a key no scope starts', () => {
    expect(scopeOfRecordKey(null)).toBeNull();
    expect(scopeOfRecordKey('ch-1')).toBeNull();
    expect(scopeOfRecordKey('/ch-1')).toBeNull();
    expect(scopeOfRecordKey('acme/')).toBeNull();
  });
});

describe('selectReplay', () => {
  it('keeps the newest revision of each Redis key', () => {
    const s = selectReplay([readable('acme/ch-1', entry('k1', 1)), readable('acme/ch-1', entry('k1', 3)), readable('acme/ch-1', entry('k1', 2)), readable('acme/ch-2', entry('k2', 1))]);
    expect(s.entries.map((e) => [e.key, e.revision])).toEqual([['k1', 3], ['k2', 1]]);
    expect(s.unreadableNewest).toEqual([]);
  });

  it('restores nothing of a record key whose newest record is unreadable, not even its older records', () => {
    const s = selectReplay([
      readable('acme/ch-1/g1', entry('goal-1', 4)),
      readable('acme/ch-1', entry('head-1', 5)),
      unreadable('acme/ch-1/g1'),
      readable('acme/ch-2', entry('head-2', 1)),
    ]);
    expect(s.entries.map((e) => e.key)).toEqual(['head-1', 'head-2']);
    expect(s.unreadableNewest).toEqual([2]);
  });

  it('lets a later readable record of the key supersede an unreadable one', () => {
    const s = selectReplay([readable('acme/ch-1', entry('head-1', 1)), unreadable('acme/ch-1'), readable('acme/ch-1', entry('head-1', 2))]);
    expect(s.entries.map((e) => [e.key, e.revision])).toEqual([['head-1', 2]]);
    expect(s.unreadableNewest).toEqual([]);
  });

  it('lets a later tombstone supersede an unreadable record', () => {
    const s = selectReplay([unreadable('acme/ch-1'), readable('acme/ch-1', null)]);
    expect(s.entries).toEqual([]);
    expect(s.unreadableNewest).toEqual([]);
  });

  it('reports an unreadable record without a key, which holds nothing', () => {
    const s = selectReplay([unreadable(null), readable('acme/ch-1', entry('head-1', 1))]);
    expect(s.entries.map((e) => e.key)).toEqual(['head-1']);
    expect(s.unreadableNewest).toEqual([0]);
  });

  it('reports only the newest of several unreadable records of one key', () => {
    const s = selectReplay([unreadable('acme/ch-1'), unreadable('acme/ch-1')]);
    expect(s.unreadableNewest).toEqual([1]);
  });
});
