/**
 * A config field naming a JSON file of credentials (the trust store, the telemetry tokens). It is
 * read and compiled at boot, where anything wrong with it (unreadable, not JSON, a bad entry) is a
 * ConfigError naming the variable, so the process stops at start rather than refusing every caller
 * forever.
 *
 * After boot the file is watched on use: `npm run maestro -- caller add` or `token add` edits it
 * while the gateway runs, and a newcomer should not have to know that a restart is needed. At most
 * once per `checkEveryMs` a use stats the file; when its identity (inode, size, mtime) changed it is
 * read and compiled again. A version that does not compile (a half-written file, a typo) is
 * reported and the previous one stays in force: a credentials file being edited must not lock
 * every caller out.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError, type Field } from '@maestro/runtime';

/** What became of one reload attempt. */
export type ReloadEvent =
  | { readonly ok: true; readonly path: string; readonly entries: number }
  | { readonly ok: false; readonly path: string; readonly error: string };

/** The file behind a compiled value, so the service can log its reloads. */
export interface ReloadingFile {
  /** The file, or null when the variable is unset (nothing to watch). */
  readonly path: string | null;
  /** Called after every reload attempt that found the file changed. */
  onReload(listener: (event: ReloadEvent) => void): void;
}

/** A compiled value that follows its file. */
export type Reloading<T> = T & { readonly file: ReloadingFile };

/** How the field watches its file. */
export interface ReloadOptions {
  /**
   * Least time between two looks at the file; a stat per request would be a syscall per call.
   * @default 1_000
   */
  readonly checkEveryMs?: number;
  /** The clock the checks are spaced by. @default Date.now */
  readonly now?: () => number;
}

/**
 * `compile` receives the parsed JSON, or `null` when the variable is unset or empty, and throws an
 * Error whose message says what is wrong with it. `live` wraps a getter of the current compiled
 * value into a value of the same type whose every use goes through the getter; `sizeOf` counts
 * its entries for the reload report.
 */
export function jsonFileField<T extends object>(
  env: string, doc: string, what: string,
  compile: (data: unknown) => T,
  live: (current: () => T) => T,
  sizeOf: (value: T) => number,
  options: ReloadOptions = {},
): Field<Reloading<T>> {
  const checkEveryMs = options.checkEveryMs ?? 1_000;
  const now = options.now ?? Date.now;
  return {
    env,
    doc,
    defaultText: '',
    parse(raw) {
      const path = raw?.trim() ?? '';
      if (path === '') return Object.assign(compile(null), { file: { path: null, onReload() {} } });
      const first = load(path);
      if (!first.ok) throw new ConfigError(env, first.error);
      let current = first.value;
      let seen = first.identity;
      let nextCheckMs = now() + checkEveryMs;
      const listeners: ((event: ReloadEvent) => void)[] = [];
      const report = (event: ReloadEvent) => listeners.forEach((listener) => listener(event));

      function refreshed(): T {
        const nowMs = now();
        if (nowMs < nextCheckMs) return current;
        nextCheckMs = nowMs + checkEveryMs;
        const identity = identityOf(path);
        if (identity === seen) return current;
        // Remembered even when the load fails, so a broken file is reported once, not on every check;
        // the next edit changes the identity again and is tried.
        seen = identity;
        const next = load(path);
        if (next.ok) {
          current = next.value;
          report({ ok: true, path, entries: sizeOf(current) });
        } else {
          report({ ok: false, path, error: next.error });
        }
        return current;
      }

      const file: ReloadingFile = { path, onReload: (listener) => void listeners.push(listener) };
      return Object.assign(live(refreshed), { file });
    },
  };

  function load(path: string): { ok: true; value: T; identity: string } | { ok: false; error: string } {
    // The identity is taken before the read: a write landing in between changes it again, so the
    // next check reads the file once more rather than keeping a torn copy.
    const identity = identityOf(path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      return { ok: false, error: `cannot read the ${what} "${path}": ${messageOf(err)}` };
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      return { ok: false, error: `the ${what} "${path}" is not JSON: ${messageOf(err)}` };
    }
    try {
      return { ok: true, value: compile(data), identity };
    } catch (err) {
      return { ok: false, error: messageOf(err) };
    }
  }
}

/** Changes whenever the file is rewritten in place or replaced by a rename; '' when it is missing. */
function identityOf(path: string): string {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return '';
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A ReadonlyMap whose every read goes to the map `current` returns now. */
export function liveMap<K, V>(current: () => ReadonlyMap<K, V>): ReadonlyMap<K, V> {
  return {
    get: (key) => current().get(key),
    has: (key) => current().has(key),
    get size() {
      return current().size;
    },
    forEach: (callback, thisArg) => current().forEach(callback, thisArg),
    entries: () => current().entries(),
    keys: () => current().keys(),
    values: () => current().values(),
    [Symbol.iterator]: () => current()[Symbol.iterator](),
  };
}
