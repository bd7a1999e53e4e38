/**
 * Shape checks on untrusted JSON. Kept apart from the validators so that each of them reads as the
 * list of rules it enforces.
 */

/** True for a JSON object (not null, not an array): the only shape a record or a map may have. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A short description of a value for an error message. Never the value itself when it may be large
 * (strings, objects): error messages are logged and returned to producers.
 */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
