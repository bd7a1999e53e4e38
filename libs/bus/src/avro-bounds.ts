import type avro from 'avsc';
import { BusError } from './errors';

/**
 * Bounded decoding. avsc trusts what the bytes claim: a map block that says it holds 10⁹ entries is
 * read entry by entry past the end of a 30-byte buffer (each read past the end yields a zero), so one
 * record can hold a consumer at full CPU for good. Before avsc sees a body, this walks it with the
 * writer's schema and checks every count and length against the bytes that remain and against the
 * limits below; decoding then costs time and memory in proportion to the record's own size.
 *
 * The walk is pure: schema, buffer and limits in, end offset or a DECODE_FAILED BusError out.
 */
export interface DecodeLimits {
  /** Deepest nesting of records, arrays, maps and unions. Maestro's schemas nest at most 6 deep. @default 32 */
  maxDepth: number;
  /** Most items one array or map may hold, over all of its blocks. @default 1048576 */
  maxCollectionItems: number;
  /**
   * Most items one array or map may hold when its items encode to no bytes at all (null, an empty
   * record): the remaining bytes bound every other collection, but not these. @default 1024
   */
  maxZeroByteItems: number;
  /** Longest string or bytes value. @default 16777216 (16 MiB) */
  maxStringBytes: number;
}

export const defaultDecodeLimits: Readonly<DecodeLimits> = Object.freeze({
  maxDepth: 32,
  maxCollectionItems: 1_048_576,
  maxZeroByteItems: 1_024,
  maxStringBytes: 16 * 1_048_576,
});

/** avsc's Type with the members its concrete classes expose; the public typings keep them private. */
interface AnyType {
  readonly typeName: string;
  readonly fields?: readonly { readonly name: string; readonly type: AnyType }[];
  readonly itemsType?: AnyType;
  readonly valuesType?: AnyType;
  readonly types?: readonly AnyType[];
  readonly symbols?: readonly string[];
  readonly size?: number;
  readonly underlyingType?: AnyType;
}

const minSizes = new WeakMap<AnyType, number>();

/** Fewest bytes a value of the type can encode to; 0 for null and for records of such fields only. */
function minSize(type: AnyType): number {
  const known = minSizes.get(type);
  if (known !== undefined) return known;
  // Placeholder while a recursive record is being measured: a recursion passes through a union or a
  // collection, which cost a byte of their own, so 0 here never overstates.
  minSizes.set(type, 0);
  let size: number;
  switch (type.typeName) {
    case 'null': size = 0; break;
    case 'float': size = 4; break;
    case 'double': size = 8; break;
    case 'fixed': size = type.size ?? 0; break;
    case 'record': case 'error': size = (type.fields ?? []).reduce((sum, f) => sum + minSize(f.type), 0); break;
    default: size = type.underlyingType ? minSize(type.underlyingType) : 1;
  }
  minSizes.set(type, size);
  return size;
}

class BoundedReader {
  pos: number;
  readonly path: string[] = [];

  constructor(readonly buf: Buffer, offset: number, readonly limits: DecodeLimits) {
    this.pos = offset;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  fail(problem: string): never {
    throw new BusError('DECODE_FAILED', `${this.path.join('.') || '(root)'}: ${problem}`);
  }

  /** A zig-zag varint as Avro writes ints and longs; at most 10 bytes, all inside the buffer. */
  readLong(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) this.fail('truncated number');
      const byte = this.buf[this.pos++]!;
      n += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      scale *= 128;
    }
    return this.fail('number longer than 10 bytes');
  }

  skip(bytes: number, what: string): void {
    if (bytes > this.remaining) this.fail(`${what} needs ${bytes} bytes, ${this.remaining} remain`);
    this.pos += bytes;
  }

  readLength(what: string): void {
    const length = this.readLong();
    if (length < 0) this.fail(`${what} has negative length ${length}`);
    if (length > this.limits.maxStringBytes) this.fail(`${what} of ${length} bytes exceeds the limit of ${this.limits.maxStringBytes}`);
    this.skip(length, `${what} of length ${length}`);
  }

  /** The blocks of an array or map: each count checked before any item is read. */
  readBlocks(kind: 'array' | 'map', itemBytes: number, readItem: () => void): void {
    const cap = itemBytes === 0 ? this.limits.maxZeroByteItems : this.limits.maxCollectionItems;
    let total = 0;
    for (;;) {
      let count = this.readLong();
      if (count === 0) return;
      if (count < 0) {
        count = -count;
        const blockBytes = this.readLong();
        if (blockBytes < 0 || blockBytes > this.remaining) this.fail(`${kind} block claims ${blockBytes} bytes, ${this.remaining} remain`);
      }
      if (itemBytes > 0 && count * itemBytes > this.remaining) this.fail(`${kind} block claims ${count} items of at least ${itemBytes} byte(s), ${this.remaining} bytes remain`);
      total += count;
      if (total > cap) this.fail(`${kind} claims ${total} items, over the limit of ${cap}${itemBytes === 0 ? ' for items that take no bytes' : ''}`);
      for (let i = 0; i < count; i++) readItem();
    }
  }

  read(type: AnyType, depth: number): void {
    if (depth > this.limits.maxDepth) this.fail(`nesting deeper than ${this.limits.maxDepth}`);
    switch (type.typeName) {
      case 'null': return;
      case 'boolean': return this.skip(1, 'boolean');
      case 'int': case 'long': this.readLong(); return;
      case 'float': return this.skip(4, 'float');
      case 'double': return this.skip(8, 'double');
      case 'string': return this.readLength('string');
      case 'bytes': return this.readLength('bytes');
      case 'fixed': return this.skip(type.size ?? 0, 'fixed');
      case 'enum': {
        const index = this.readLong();
        if (index < 0 || index >= (type.symbols?.length ?? 0)) this.fail(`enum index ${index} out of range`);
        return;
      }
      case 'record': case 'error':
        for (const field of type.fields ?? []) {
          this.path.push(field.name);
          this.read(field.type, depth + 1);
          this.path.pop();
        }
        return;
      case 'array': {
        const items = type.itemsType!;
        return this.readBlocks('array', minSize(items), () => this.read(items, depth + 1));
      }
      case 'map': {
        const values = type.valuesType!;
        return this.readBlocks('map', 1 + minSize(values), () => {
          this.readLength('map key');
          this.read(values, depth + 1);
        });
      }
      case 'union:unwrapped': case 'union:wrapped': {
        const branches = type.types ?? [];
        const index = this.readLong();
        const branch = branches[index];
        if (!branch) return this.fail(`union branch ${index} out of range (${branches.length} branches)`);
        return this.read(branch, depth + 1);
      }
      default:
        if (type.underlyingType) return this.read(type.underlyingType, depth);
        return this.fail(`unsupported Avro type ${type.typeName}`);
    }
  }
}

/**
 * Walks one Avro body written with `writer`, from `offset`, without building any value. Returns the
 * offset where the body ends; throws DECODE_FAILED (non-retryable, so the record is dead-lettered)
 * naming the field when a count, length or index cannot be right, or a limit is exceeded.
 */
export function checkAvroBounds(writer: avro.Type, buf: Buffer, offset: number, limits: DecodeLimits = defaultDecodeLimits): number {
  const reader = new BoundedReader(buf, offset, limits);
  reader.read(writer as unknown as AnyType, 0);
  return reader.pos;
}

/**
 * Decodes one body as `reader` (through `resolver` when the writer's schema differs), after checking
 * it within `limits`. Throws DECODE_FAILED when the bytes are out of bounds, do not decode, or do
 * not end exactly where the buffer does.
 */
export function decodeBounded(types: { reader: avro.Type; writer: avro.Type; resolver?: avro.Resolver | undefined }, buf: Buffer, offset: number, limits: DecodeLimits = defaultDecodeLimits): unknown {
  const end = checkAvroBounds(types.writer, buf, offset, limits);
  if (end !== buf.length) throw new BusError('DECODE_FAILED', `${buf.length - end} trailing bytes after the body`);
  let decoded: { value: unknown; offset: number };
  try {
    decoded = types.reader.decode(buf, offset, types.resolver as never);
  } catch (cause) {
    throw new BusError('DECODE_FAILED', (cause as Error).message, { cause });
  }
  if (decoded.offset !== buf.length || decoded.value === undefined) throw new BusError('DECODE_FAILED', 'body is truncated or has trailing bytes');
  return decoded.value;
}
