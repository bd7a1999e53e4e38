import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from '../../src/domain/json-depth';
import { canonicalisationProblem, DEFAULT_PARSE_LIMITS, parseRequest } from '../../src/domain/parse';

const LIMITS = { maxBodyBytes: 64 };

function code(operation: string, raw: string): string {
  const result = parseRequest(operation, raw, LIMITS);
  return result.ok ? 'ok' : result.refusal.refused.code;
}

describe('parseRequest', () => {
  it.each([
    { name: 'a JSON body', op: 'graph.commit', raw: '{"envelope":{},"payload":{}}', expected: 'ok' },
    { name: 'an unknown operation, before reading the body', op: 'graph.delete', raw: 'not json', expected: 'unknown_operation' },
    { name: 'a body over the limit', op: 'graph.commit', raw: JSON.stringify({ x: 'y'.repeat(64) }), expected: 'payload_too_large' },
    { name: 'a body at the limit', op: 'graph.commit', raw: JSON.stringify({ x: 'y'.repeat(56) }), expected: 'ok' },
    { name: 'multi-byte characters counted as bytes', op: 'graph.commit', raw: JSON.stringify({ x: '€'.repeat(20) }), expected: 'payload_too_large' },
    { name: 'truncated JSON', op: 'graph.commit', raw: '{"envelope":', expected: 'malformed_json' },
    { name: 'empty body', op: 'graph.commit', raw: '', expected: 'malformed_json' },
    { name: 'a number JSON.parse turns into Infinity', op: 'graph.commit', raw: '{"payload":{"cost":1e400}}', expected: 'malformed_json' },
  ])('$name → $expected', ({ op, raw, expected }) => {
    expect(code(op, raw)).toBe(expected);
  });

  it('names the offending path when a number cannot be canonicalised', () => {
    expect(canonicalisationProblem({ payload: { cost: Infinity } })).toContain('/payload/cost');
    expect(canonicalisationProblem({ payload: { cost: 1 } })).toBeNull();
  });

  it('returns the operation spec and the parsed body', () => {
    const result = parseRequest('query.goals', '{"a":1}', DEFAULT_PARSE_LIMITS);
    expect(result.ok && result.value.operation.name).toBe('query.goals');
    expect(result.ok && result.value.body).toEqual({ a: 1 });
  });
});

describe('the nesting bound', () => {
  const deep = (n: number, open = '[', close = ']') => `${open.repeat(n)}${close.repeat(n)}`;
  it.each([
    { name: 'arrays at the limit', raw: deep(8), expected: 'ok' },
    { name: 'arrays one past the limit', raw: deep(9), expected: 'nesting_too_deep' },
    { name: 'objects and arrays mixed past the limit', raw: `${'{"a":['.repeat(5)}${']}'.repeat(5)}`, expected: 'nesting_too_deep' },
    { name: 'brackets inside strings, escaped quotes included', raw: JSON.stringify({ s: `\\"${'['.repeat(50)}` }), expected: 'ok' },
    { name: '5,000 levels (once a stack overflow and 500)', raw: deep(5_000), expected: 'nesting_too_deep' },
  ])('$name → $expected', ({ raw, expected }) => {
    const result = parseRequest('graph.commit', raw, { maxBodyBytes: 1_000_000, maxDepth: 8 });
    expect(result.ok ? 'ok' : result.refusal.refused.code).toBe(expected);
  });

  it('stops at the first level past the bound', () => {
    expect(exceedsJsonDepth(deep(1_000_000), 64)).toBe(65);
    expect(exceedsJsonDepth('[[]]', 2)).toBeNull();
  });
});
