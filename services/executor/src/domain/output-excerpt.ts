/**
 * Bounded capture of a runner's output: the first and the last `maxBytes / 2` bytes are kept, the
 * middle is replaced by a marker with the number of bytes cut. A runaway process printing
 * gigabytes costs the executor `maxBytes` of memory, and the result record stays small.
 */
export interface OutputExcerpt {
  append(chunk: Uint8Array): void;
  /** Bytes seen in total, kept or not. */
  readonly totalBytes: number;
  text(): string;
}

export function createOutputExcerpt(maxBytes: number): OutputExcerpt {
  const half = Math.max(1, Math.floor(maxBytes / 2));
  let head: Uint8Array = new Uint8Array(0);
  // The tail is a rolling window: only its last `half` bytes are ever kept.
  let tail: Uint8Array = new Uint8Array(0);
  let total = 0;
  const decoder = () => new TextDecoder('utf-8', { fatal: false });

  return {
    append(chunk) {
      total += chunk.length;
      let rest = chunk;
      if (head.length < half) {
        const take = Math.min(half - head.length, rest.length);
        head = concat(head, rest.subarray(0, take));
        rest = rest.subarray(take);
      }
      if (rest.length > 0) tail = concat(tail, rest).slice(-half);
    },
    get totalBytes() {
      return total;
    },
    text() {
      const cut = total - head.length - tail.length;
      const middle = cut > 0 ? `\n…[${cut} bytes cut]…\n` : '';
      return decoder().decode(head) + middle + decoder().decode(tail);
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** An excerpt of a whole string (a webhook's response body), cut the same way. */
export function excerptOf(text: string, maxBytes: number): string {
  const capture = createOutputExcerpt(maxBytes);
  capture.append(new TextEncoder().encode(text));
  return capture.text();
}
