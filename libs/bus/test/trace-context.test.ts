import { describe, expect, it } from 'vitest';
import { childTrace, formatTraceparent, parseTraceparent } from '../src';

const header = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('W3C traceparent', () => {
  it('parses a valid header and formats it back unchanged', () => {
    const ctx = parseTraceparent(header);
    expect(ctx).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true });
    expect(formatTraceparent(ctx!)).toBe(header);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['a future version', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01'],
  ])('ignores %s', (_, value) => {
    expect(parseTraceparent(value)).toBeNull();
  });

  it('continues the parent trace with a new span, and starts a sampled root without a parent', () => {
    const parent = parseTraceparent(Buffer.from(header))!;
    const child = childTrace(parent);
    expect(child.traceId).toBe(parent.traceId);
    expect(child.spanId).not.toBe(parent.spanId);
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    const root = childTrace(null);
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.sampled).toBe(true);
    expect(parseTraceparent(formatTraceparent(root))).toEqual(root);
  });

  it('gives every record its own span id across refills of the random pool (512 span ids per fill)', () => {
    const ids = Array.from({ length: 2_000 }, () => childTrace(null));
    expect(new Set(ids.map((c) => c.spanId)).size).toBe(2_000);
    expect(new Set(ids.map((c) => c.traceId)).size).toBe(2_000);
    for (const c of ids) expect(parseTraceparent(formatTraceparent(c))).toEqual(c);
  });
});
