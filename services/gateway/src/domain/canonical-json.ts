/**
 * Canonical JSON in the spirit of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers serialised as ECMAScript's JSON.stringify does (which is what JCS
 * prescribes). Signatures and idempotency hashes are computed over this text, so a signer and the
 * gateway agree on the bytes whatever key order or spacing the wire carried.
 *
 * Invariant: `canonicalJson(x) === canonicalJson(JSON.parse(JSON.stringify(x)))` for every value
 * this accepts — a signer may sign its in-memory object and send `JSON.stringify` of it.
 *
 * The walk recurses once per level of nesting, so it refuses values deeper than
 * {@link MAX_CANONICAL_DEPTH} instead of overflowing the stack (a 5,000-deep array once did). The
 * gateway refuses such bodies earlier, at parse (GATEWAY_MAX_JSON_DEPTH); this bound protects every
 * other caller, signers included.
 */

/** Deepest nesting canonicalised: far above any protocol body, far below what exhausts the stack. */
export const MAX_CANONICAL_DEPTH = 512;

/** Thrown for values JSON cannot carry faithfully. */
export class CanonicalJsonError extends TypeError {
  /** JSON-pointer-like path of the offending value, e.g. `/steps/0/cost`. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path || '/'}: ${message}`);
    this.name = 'CanonicalJsonError';
    this.path = path;
  }
}

/**
 * Serialises `value` canonically. Throws {@link CanonicalJsonError} for non-finite numbers (which
 * `JSON.parse('1e400')` can produce), bigints, functions and symbols, rather than silently
 * emitting `null` and letting two different payloads share a signature.
 * Like JSON.stringify, `undefined` object members are omitted and `toJSON` is honoured.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, '', 0);
}

function serialise(value: unknown, path: string, depth: number): string {
  const v = hasToJson(value) ? value.toJSON() : value;
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new CanonicalJsonError(path, `${v} is not a finite number`);
      // ECMAScript Number::toString is the JCS number format; JSON.stringify(-0) is '0'.
      return JSON.stringify(v);
    case 'object':
      if (v === null) return 'null';
      if (depth >= MAX_CANONICAL_DEPTH) throw new CanonicalJsonError(path, `nested more than ${MAX_CANONICAL_DEPTH} levels deep`);
      if (Array.isArray(v)) {
        // Arrays keep their order; holes and undefined become null, as JSON.stringify does.
        return `[${Array.from(v, (item: unknown, i) => (item === undefined ? 'null' : serialise(item, `${path}/${i}`, depth + 1))).join(',')}]`;
      }
      return serialiseObject(v as Record<string, unknown>, path, depth + 1);
    default:
      throw new CanonicalJsonError(path, `a ${typeof v} cannot be represented in JSON`);
  }
}

function serialiseObject(object: Record<string, unknown>, path: string, depth: number): string {
  // Default sort compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 requires.
  const keys = Object.keys(object).filter((k) => object[k] !== undefined).sort();
  const members = keys.map((k) => `${JSON.stringify(k)}:${serialise(object[k], `${path}/${escapePointer(k)}`, depth)}`);
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** RFC 6901 escaping, so error paths read like Ajv's instancePath. */
function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
