/** A runner configuration that cannot work, with the JSON path of the offending value. */
export class RunnerConfigError extends Error {
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'RunnerConfigError';
    this.path = path;
  }
}

/** Typed reads of one JSON object of the runner configuration; every error names its path. */
export interface SpecFields {
  readonly at: string;
  /** The entry as written, for a plugin runner type that checks its own settings. */
  readonly raw: Readonly<Record<string, unknown>>;
  string(name: string): string;
  optionalString(name: string): string | undefined;
  integer(name: string, options: { default: number; min: number; max?: number }): number;
  boolean(name: string, fallback: boolean): boolean;
  stringList(name: string): readonly string[];
  stringMap(name: string): Readonly<Record<string, string>>;
  /** Refuses keys the runner type does not know: a typo must not silently fall back to a default. */
  only(names: readonly string[]): void;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function specFields(spec: Record<string, unknown>, at: string): SpecFields {
  const path = (name: string) => `${at}.${name}`;
  const fields: SpecFields = {
    at,
    raw: spec,
    string(name) {
      const v = spec[name];
      if (typeof v !== 'string' || v === '') throw new RunnerConfigError(path(name), 'must be a non-empty string');
      return v;
    },
    optionalString(name) {
      return spec[name] === undefined ? undefined : fields.string(name);
    },
    integer(name, { default: fallback, min, max }) {
      const v = spec[name] ?? fallback;
      if (!Number.isSafeInteger(v) || (v as number) < min || (max !== undefined && (v as number) > max)) {
        throw new RunnerConfigError(path(name), `must be an integer in [${min}, ${max ?? '∞'}], got ${JSON.stringify(v)}`);
      }
      return v as number;
    },
    boolean(name, fallback) {
      const v = spec[name] ?? fallback;
      if (typeof v !== 'boolean') throw new RunnerConfigError(path(name), `must be true or false, got ${JSON.stringify(v)}`);
      return v;
    },
    stringList(name) {
      const v = spec[name] ?? [];
      if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new RunnerConfigError(path(name), 'must be an array of strings');
      return Object.freeze([...(v as string[])]);
    },
    stringMap(name) {
      const v = spec[name] ?? {};
      if (!isObject(v) || Object.values(v).some((s) => typeof s !== 'string')) throw new RunnerConfigError(path(name), 'must be an object of strings');
      return Object.freeze({ ...(v as Record<string, string>) });
    },
    only(names) {
      for (const key of Object.keys(spec)) {
        if (key !== 'type' && !names.includes(key)) throw new RunnerConfigError(path(key), `is not a setting of this runner type (known: type, ${names.join(', ')})`);
      }
    },
  };
  return fields;
}
