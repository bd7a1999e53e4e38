import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson, MAX_CANONICAL_DEPTH } from '../../src/domain/canonical-json';

describe('canonicalJson', () => {
  it.each([
    { name: 'keys sorted', value: { b: 1, a: 2, c: 3 }, expected: '{"a":2,"b":1,"c":3}' },
    { name: 'nested objects sorted at every level', value: { z: { y: 1, x: [{ b: 1, a: 2 }] }, a: null }, expected: '{"a":null,"z":{"x":[{"a":2,"b":1}],"y":1}}' },
    { name: 'arrays keep their order', value: [3, 1, 2], expected: '[3,1,2]' },
    { name: 'empty containers', value: { a: {}, b: [] }, expected: '{"a":{},"b":[]}' },
    { name: 'no whitespace', value: { 'a b': ' x ' }, expected: '{"a b":" x "}' },
    { name: 'integers', value: [0, -0, 1, -1, 9007199254740991], expected: '[0,0,1,-1,9007199254740991]' },
    { name: 'fractions and exponents as ECMAScript prints them', value: [0.1, 1e21, 1e-7, 123.456, 5e-324], expected: '[0.1,1e+21,1e-7,123.456,5e-324]' },
    { name: 'unicode kept literal', value: { 'é': 'ünïcödé €', emoji: '😀' }, expected: '{"emoji":"😀","é":"ünïcödé €"}' },
    { name: 'control characters escaped', value: '\u0000\n\t"\\', expected: '"\\u0000\\n\\t\\"\\\\"' },
    { name: 'lone surrogates escaped', value: '\ud800', expected: '"\\ud800"' },
    // RFC 8785 §3.2.3: sort by UTF-16 code units, so U+10000 (d800 dc00) sorts before U+E000.
    { name: 'keys sorted by UTF-16 code units', value: { '\ue000': 1, '😀': 2, a: 3, B: 4 }, expected: '{"B":4,"a":3,"😀":2,"\ue000":1}' },
    { name: 'undefined members omitted', value: { a: undefined, b: 1 }, expected: '{"b":1}' },
    { name: 'undefined in arrays becomes null', value: [undefined, 1], expected: '[null,1]' },
    { name: 'booleans and null', value: [true, false, null], expected: '[true,false,null]' },
    { name: 'toJSON honoured', value: { at: new Date(0) }, expected: '{"at":"1970-01-01T00:00:00.000Z"}' },
  ])('$name', ({ value, expected }) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('serialises array holes as null, like JSON.stringify', () => {
    expect(canonicalJson([1, , 2])).toBe('[1,null,2]');
  });

  it('is independent of key order and spacing on the wire', () => {
    const a = JSON.parse('{ "steps": [ {"id":"s","cost":1} ], "charterId": "c" }');
    const b = JSON.parse('{"charterId":"c","steps":[{"cost":1,"id":"s"}]}');
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it.each([
    { value: { a: 1, b: [1.5, 'x', { c: true, d: null }], e: undefined } },
    { value: { nested: { deeper: { deepest: [0.1, 2e-9, -3] } } } },
  ])('survives a JSON round trip unchanged: %#', ({ value }) => {
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it.each([
    { name: 'Infinity', value: { a: [1, Infinity] }, path: '/a/1' },
    { name: 'NaN', value: { x: NaN }, path: '/x' },
    { name: 'what JSON.parse makes of 1e400', value: JSON.parse('{"big":1e400}'), path: '/big' },
    { name: 'bigint', value: { n: 1n }, path: '/n' },
    { name: 'function', value: { f: () => 1 }, path: '/f' },
    { name: 'escaped pointer', value: { 'a/b~c': NaN }, path: '/a~1b~0c' },
  ])('refuses $name, naming the path', ({ value, path }) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    try {
      canonicalJson(value);
    } catch (err) {
      expect((err as CanonicalJsonError).path).toBe(path);
    }
  });
});

describe('canonicalJson on deep values', () => {
  const nest = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
    return value;
  };

  it('serialises nesting up to MAX_CANONICAL_DEPTH', () => {
    expect(canonicalJson(nest(MAX_CANONICAL_DEPTH))).toBe(JSON.stringify(nest(MAX_CANONICAL_DEPTH)));
  });

  // F5: a 5,000-deep array overflowed the stack (a RangeError, answered 500); now it is a CanonicalJsonError like any value JSON cannot carry.
  it('refuses deeper values with a CanonicalJsonError instead of overflowing the stack', () => {
    expect(() => canonicalJson(nest(MAX_CANONICAL_DEPTH + 1))).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(nest(100_000))).toThrow(/nested more than 512 levels deep/);
  });
});
