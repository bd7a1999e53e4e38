import { describe, expect, it } from 'vitest';
import type { ProjectedEvent } from '@maestro/projector';
import { decodeCursor, DEFAULT_LIMIT, encodeCursor, matchesQuery, MAX_LIMIT, parseReadQuery } from '../src/read-query';
import { compareStreamIds, isStreamId } from '../src/stream-id';

const event = (over: Partial<ProjectedEvent> = {}): ProjectedEvent => ({
  id: 'anomalies:0:1', kind: 'anomaly', tenant: 'acme', atMs: 1_000, assetId: 'a1', assetIds: ['a1', 'a2'], jobId: null, severity: 0.7, summary: '', record: {}, ...over,
});

describe('cursors', () => {
  it('round-trip, ties and odd members included', () => {
    for (const cursor of [{ score: 0, member: 'x' }, { score: 1_733_350_000_123, member: 'audit:2:99' }, { score: -5, member: 'a "quoted" id/é' }]) {
      expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    }
  });

  it.each(['', 'not-base64!', Buffer.from('{"s":1}').toString('base64url'), Buffer.from('[1]').toString('base64url'), Buffer.from('["1","m"]').toString('base64url'), Buffer.from('[1,""]').toString('base64url')])('refuses %j', (text) => {
    expect(decodeCursor(text)).toBeNull();
  });
});

describe('parseReadQuery', () => {
  it('defaults to a page of DEFAULT_LIMIT with no filters', () => {
    expect(parseReadQuery({})).toEqual({ ok: true, value: { limit: DEFAULT_LIMIT, cursor: null, assetId: null, kinds: [], minSeverity: null, fromMs: null, toMs: null, service: null } });
  });

  it('reads every filter, times as epoch ms or ISO 8601', () => {
    const cursor = encodeCursor({ score: 5, member: 'm' });
    expect(parseReadQuery({ limit: '10', cursor, asset: 'a1', kind: 'action,result', severity: '0.5', from: '2026-01-01T00:00:00Z', to: '1767225600001' }, ['action', 'result'])).toEqual({
      ok: true, value: { limit: 10, cursor: { score: 5, member: 'm' }, assetId: 'a1', kinds: ['action', 'result'], minSeverity: 0.5, fromMs: 1_767_225_600_000, toMs: 1_767_225_600_001, service: null },
    });
  });

  it('reads service on a route that serves audit records, and refuses it where none is served or the kinds leave none', () => {
    expect(parseReadQuery({ service: 'healer' }, ['audit'])).toMatchObject({ ok: true, value: { service: 'healer', kinds: ['audit'] } });
    expect(parseReadQuery({ service: 'healer' })).toMatchObject({ ok: true, value: { service: 'healer', kinds: [] } });
    const elsewhere = parseReadQuery({ service: 'healer' }, ['action', 'result']);
    expect(elsewhere.ok ? [] : elsewhere.reasons).toEqual(['service filters audit records, which are not served here (action, result)']);
    const otherKinds = parseReadQuery({ service: 'healer', kind: 'anomaly' });
    expect(otherKinds.ok ? [] : otherKinds.reasons).toEqual(["service filters audit records; kind 'anomaly' leaves none"]);
  });

  it('narrows to the route\'s kinds when none is asked for', () => {
    expect(parseReadQuery({}, ['action', 'result'])).toMatchObject({ ok: true, value: { kinds: ['action', 'result'] } });
  });

  it.each([
    [{ limit: '0' }, /limit must be an integer from 1 to 500/],
    [{ limit: String(MAX_LIMIT + 1) }, /limit/],
    [{ limit: '2.5' }, /limit/],
    [{ cursor: 'junk' }, /cursor is not one this API returned/],
    [{ kind: 'anomaly' }, /kind 'anomaly' is not served here/],
    [{ kind: 'bogus' }, /kind 'bogus'/],
    [{ severity: '2' }, /severity is a minimum in \[0, 1\]/],
    [{ from: 'yesterday' }, /from must be epoch milliseconds or an ISO 8601 time/],
    [{ from: '10', to: '5' }, /from \(10\) is after to \(5\)/],
    [{ colour: 'red' }, /unknown parameter 'colour'/],
  ])('refuses %j with a reason naming the parameter', (params, reason) => {
    const parsed = parseReadQuery(params, ['action', 'result']);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reasons.join('\n')).toMatch(reason);
  });

  it('lists every problem at once', () => {
    const parsed = parseReadQuery({ limit: '0', severity: '-1', nope: '1' });
    expect(parsed.ok ? [] : parsed.reasons).toHaveLength(3);
  });

  it('accepts the parameters a route adds', () => {
    expect(parseReadQuery({ lastEventId: '1-0' }, undefined, ['lastEventId']).ok).toBe(true);
  });
});

describe('matchesQuery', () => {
  const none = { assetId: null, kinds: [], minSeverity: null, fromMs: null, toMs: null, service: null } as const;
  it.each([
    [{}, true],
    [{ kinds: ['anomaly'] as const }, true],
    [{ kinds: ['action'] as const }, false],
    [{ assetId: 'a2' }, true],
    [{ assetId: 'a3' }, false],
    [{ minSeverity: 0.7 }, true],
    [{ minSeverity: 0.71 }, false],
    [{ fromMs: 1_000, toMs: 1_000 }, true],
    [{ fromMs: 1_001 }, false],
    [{ toMs: 999 }, false],
  ])('%j → %s', (query, expected) => {
    expect(matchesQuery(event(), { ...none, ...query })).toBe(expected);
  });

  it('keeps, under service, only the audit records that service wrote', () => {
    const audit = (service: unknown) => event({ kind: 'audit', severity: null, record: { service, kind: 'healing.decision' } });
    expect(matchesQuery(audit('healer'), { ...none, service: 'healer' })).toBe(true);
    expect(matchesQuery(audit('optimizer'), { ...none, service: 'healer' })).toBe(false);
    expect(matchesQuery(audit(undefined), { ...none, service: 'healer' })).toBe(false);
    expect(matchesQuery(event({ record: { service: 'healer' } }), { ...none, service: 'healer' })).toBe(false);
    expect(matchesQuery(audit('optimizer'), none)).toBe(true);
  });

  it('does not match an event without a severity when a minimum is set', () => {
    expect(matchesQuery(event({ kind: 'action', severity: null }), { ...none, minSeverity: 0 })).toBe(false);
  });
});

describe('stream ids', () => {
  it('orders by time then sequence, past the precision of a double', () => {
    expect(compareStreamIds('1-0', '2-0')).toBeLessThan(0);
    expect(compareStreamIds('5-10', '5-9')).toBeGreaterThan(0);
    expect(compareStreamIds('5-9', '5-9')).toBe(0);
    expect(compareStreamIds('9007199254740993-0', '9007199254740992-0')).toBeGreaterThan(0);
  });

  it.each([['1-0', true], ['1733350000000-12', true], ['1', false], ['a-b', false], ['1-2-3', false], ['', false]])('%j is a stream id: %s', (text, expected) => {
    expect(isStreamId(text)).toBe(expected);
  });
});
