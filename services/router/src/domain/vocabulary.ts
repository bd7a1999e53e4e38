/**
 * Interning of capability names, compliance tags and regions into small integers, and bit sets over
 * them. A pool of 10,000 assets shares a few dozen distinct capabilities, so "has every required
 * capability" becomes one AND per 32 names instead of a string hash lookup per name per asset.
 */

/** A fixed mapping from names to dense ids, built when a pool is compiled. */
export interface Vocabulary {
  readonly ids: ReadonlyMap<string, number>;
  readonly names: readonly string[];
  /** 32-bit words per bit set over this vocabulary. */
  readonly words: number;
}

/** Builds a vocabulary over every name in `lists`, ids assigned in sorted order for determinism. */
export function buildVocabulary(lists: Iterable<readonly string[]>): Vocabulary {
  const seen = new Set<string>();
  for (const list of lists) for (const name of list) seen.add(name);
  const names = [...seen].sort();
  const ids = new Map<string, number>();
  names.forEach((name, i) => ids.set(name, i));
  return { ids, names, words: Math.max(1, Math.ceil(names.length / 32)) };
}

/** Writes the bit set of `list` into `target` at word offset `offset`. Unknown names are ignored. */
export function writeBits(vocab: Vocabulary, list: readonly string[], target: Uint32Array, offset: number): void {
  for (const name of list) {
    const id = vocab.ids.get(name);
    if (id !== undefined) target[offset + (id >>> 5)]! |= 1 << (id & 31);
  }
}

/** A required set compiled against a vocabulary: known names as bits, unknown names listed apart. */
export interface RequiredBits {
  readonly bits: Uint32Array;
  /** Required names no asset in the pool has: every candidate misses them. */
  readonly unknown: readonly string[];
  /** Whether anything at all is required (skips the per-candidate check when not). */
  readonly any: boolean;
}

/** Compiles what a job requires into a bit set over `vocab`. */
export function requiredBits(vocab: Vocabulary, required: readonly string[]): RequiredBits {
  const bits = new Uint32Array(vocab.words);
  const unknown: string[] = [];
  for (const name of required) {
    if (vocab.ids.has(name)) writeBits(vocab, [name], bits, 0);
    else if (!unknown.includes(name)) unknown.push(name);
  }
  return { bits, unknown, any: required.length > 0 };
}

/** True when the set at `offset` in `have` contains every bit of `need`. */
export function containsAll(have: Uint32Array, offset: number, need: Uint32Array): boolean {
  for (let w = 0; w < need.length; w++) {
    const n = need[w]!;
    if ((have[offset + w]! & n) !== n) return false;
  }
  return true;
}

/** Names in `required` (known to `vocab`) that are absent from the set at `offset` in `have`. */
export function missingNames(vocab: Vocabulary, have: Uint32Array, offset: number, required: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of required) {
    const id = vocab.ids.get(name);
    if (id === undefined) continue;
    if ((have[offset + (id >>> 5)]! & (1 << (id & 31))) === 0 && !out.includes(name)) out.push(name);
  }
  return out;
}
