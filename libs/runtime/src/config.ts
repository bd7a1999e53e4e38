/**
 * Configuration from the environment, parsed once at start into a frozen object. Each field names
 * its variable, so a bad or missing value stops the process with that name in the message. The field
 * definitions are the only source of the config's type.
 */
export class ConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

export interface Field<T> {
  readonly env: string;
  readonly doc: string;
  /** Shown in docs; absent means the variable is required. */
  readonly defaultText?: string;
  parse(raw: string | undefined): T;
}

export type Env = Readonly<Record<string, string | undefined>>;
export type ConfigSpec = Record<string, Field<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never };

function field<T>(env: string, doc: string, fallback: string | undefined, convert: (raw: string) => T): Field<T> {
  return {
    env,
    doc,
    ...(fallback !== undefined ? { defaultText: fallback } : {}),
    parse(raw) {
      const value = raw === undefined || raw.trim() === '' ? fallback : raw.trim();
      if (value === undefined) throw new ConfigError(env, 'is required and not set');
      return convert(value);
    },
  };
}

export function text(env: string, doc: string, options: { default?: string; pattern?: RegExp } = {}): Field<string> {
  return field(env, doc, options.default, (raw) => {
    if (options.pattern && !options.pattern.test(raw)) throw new ConfigError(env, `"${raw}" does not match ${options.pattern}`);
    return raw;
  });
}

/** A possibly empty string (prefixes); unlike `text`, empty is a value, not a missing one. */
export function optionalText(env: string, doc: string, pattern?: RegExp): Field<string> {
  return {
    env,
    doc,
    defaultText: '',
    parse(raw) {
      const value = raw?.trim() ?? '';
      if (pattern && value !== '' && !pattern.test(value)) throw new ConfigError(env, `"${value}" does not match ${pattern}`);
      return value;
    },
  };
}

export function integer(env: string, doc: string, options: { default?: number; min?: number; max?: number } = {}): Field<number> {
  return field(env, doc, options.default?.toString(), (raw) => {
    if (!/^-?\d+$/.test(raw)) throw new ConfigError(env, `"${raw}" is not an integer`);
    const n = Number(raw);
    if (options.min !== undefined && n < options.min) throw new ConfigError(env, `${n} is below the minimum ${options.min}`);
    if (options.max !== undefined && n > options.max) throw new ConfigError(env, `${n} is above the maximum ${options.max}`);
    return n;
  });
}

export function decimal(env: string, doc: string, options: { default?: number; min?: number; max?: number } = {}): Field<number> {
  return field(env, doc, options.default?.toString(), (raw) => {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new ConfigError(env, `"${raw}" is not a number`);
    if (options.min !== undefined && n < options.min) throw new ConfigError(env, `${n} is below the minimum ${options.min}`);
    if (options.max !== undefined && n > options.max) throw new ConfigError(env, `${n} is above the maximum ${options.max}`);
    return n;
  });
}

export function flag(env: string, doc: string, options: { default?: boolean } = {}): Field<boolean> {
  return field(env, doc, options.default?.toString(), (raw) => {
    if (/^(true|1|yes)$/i.test(raw)) return true;
    if (/^(false|0|no)$/i.test(raw)) return false;
    throw new ConfigError(env, `"${raw}" is not a boolean (true/false)`);
  });
}

export function oneOf<const T extends string>(env: string, doc: string, values: readonly T[], options: { default?: T } = {}): Field<T> {
  return field(env, doc, options.default, (raw) => {
    if (!(values as readonly string[]).includes(raw)) throw new ConfigError(env, `"${raw}" is not one of ${values.join(', ')}`);
    return raw as T;
  });
}

export function url(env: string, doc: string, protocols: readonly string[], options: { default?: string } = {}): Field<string> {
  return field(env, doc, options.default, (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(env, `"${raw}" is not a URL`);
    }
    if (!protocols.includes(parsed.protocol)) throw new ConfigError(env, `"${raw}" must use ${protocols.join(' or ')}`);
    return raw.replace(/\/+$/, '');
  });
}

export function hostPortList(env: string, doc: string, options: { default?: string } = {}): Field<readonly string[]> {
  return field(env, doc, options.default, (raw) => {
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    for (const item of items) {
      if (!/^[\w.-]+:\d{1,5}$/.test(item)) throw new ConfigError(env, `"${item}" is not host:port`);
    }
    if (items.length === 0) throw new ConfigError(env, 'lists no host:port');
    return Object.freeze(items);
  });
}

/** Parses every field; reports every bad variable at once rather than one per restart. */
export function loadConfig<S extends ConfigSpec>(spec: S, env: Env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  const errors: ConfigError[] = [];
  for (const [key, f] of Object.entries(spec)) {
    try {
      out[key] = f.parse(env[f.env]);
    } catch (error) {
      if (error instanceof ConfigError) errors.push(error);
      else throw error;
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) {
    const combined = new ConfigError(errors.map((e) => e.variable).join(', '), errors.map((e) => e.message).join('; '));
    throw combined;
  }
  return Object.freeze(out) as ConfigOf<S>;
}
