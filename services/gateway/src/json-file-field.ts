/**
 * A config field naming a JSON file that is read and compiled once at boot (the trust store, the
 * telemetry tokens). Anything wrong with it (unreadable, not JSON, a bad entry) is a ConfigError
 * naming the variable, so the process stops at start rather than refusing every caller forever.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type Field } from '@maestro/runtime';

/**
 * `compile` receives the parsed JSON, or `null` when the variable is unset or empty, and throws an
 * Error whose message says what is wrong with it.
 */
export function jsonFileField<T>(env: string, doc: string, what: string, compile: (data: unknown) => T): Field<T> {
  return {
    env,
    doc,
    defaultText: '',
    parse(raw) {
      const path = raw?.trim() ?? '';
      if (path === '') return compile(null);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        throw new ConfigError(env, `cannot read the ${what} "${path}": ${err instanceof Error ? err.message : String(err)}`);
      }
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new ConfigError(env, `the ${what} "${path}" is not JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      try {
        return compile(data);
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ConfigError(env, err instanceof Error ? err.message : String(err));
      }
    },
  };
}
