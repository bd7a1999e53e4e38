/**
 * How deeply a JSON text nests, measured on the raw text before anything parses it. Every later
 * step that walks the value (canonical JSON, hashing, schema validation, the services' own code)
 * may recurse once per level, so the depth a caller can send must be bounded where the text comes
 * in: a 5,000-deep array once overflowed the stack in canonical JSON and answered 500.
 *
 * One pass, no recursion, no allocation: brackets inside strings (escapes included) do not count.
 */

/** The deepest nesting a gateway body may have. Protocol bodies nest about 8 levels (envelope → payload → steps → step → requirements → capabilities). @default 64 */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/**
 * The first depth over `maxDepth` the text reaches, or null when it stays within it. Stops at the
 * first bracket past the bound, so a deep body costs no more than its first `maxDepth` levels.
 * Unbalanced or otherwise invalid text is not this function's concern (JSON.parse refuses it).
 */
export function exceedsJsonDepth(text: string, maxDepth: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return depth;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return null;
}
