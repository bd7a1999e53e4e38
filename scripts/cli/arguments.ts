/**
 * The CLI's command-line grammar: positional words, `--name value` options (repeatable where the
 * command says so) and `--flag` switches. Pure: it reads argv and the command's declaration, and
 * throws UsageError naming the first thing wrong. What each command means lives with the command.
 */
import type { CommandName } from './help';

/** A mistake in how the CLI was called: reported with the command's usage, exit status 2. */
export class UsageError extends Error {
  /** The command whose usage to show, e.g. `tail`; null for the overview. */
  constructor(message: string, readonly command: CommandName | null = null) {
    super(message);
  }
}

export interface OptionDeclaration {
  /** Options that take a value. */
  values?: readonly string[];
  /** Options that may be given more than once (a subset of `values`). */
  repeatable?: readonly string[];
  /** Switches: present or absent, no value. */
  flags?: readonly string[];
}

export interface ParsedArguments {
  positional: string[];
  values: Map<string, string[]>;
  flags: Set<string>;
  help: boolean;
}

/**
 * Splits argv by the declaration. `-h` and `--help` anywhere ask for help; anything else that starts
 * with `--` must be declared. `--name=value` is read as `--name value`.
 */
export function splitArguments(argv: readonly string[], declaration: OptionDeclaration, command: CommandName | null): ParsedArguments {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    // Only -h is a short option; another word starting with one dash is an argument (and is judged as one).
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = splitInline(arg.slice(2));
    if (declaration.flags?.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`, command);
      flags.add(name);
      continue;
    }
    if (!declaration.values?.includes(name)) throw new UsageError(`unknown option --${name}`, command);
    const value = inline ?? argv[i + 1];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`, command);
    if (inline === undefined) i++;
    const previous = values.get(name) ?? [];
    if (previous.length > 0 && !declaration.repeatable?.includes(name)) throw new UsageError(`--${name} is given ${previous.length + 1} times`, command);
    values.set(name, [...previous, value]);
  }
  return { positional, values, flags, help };
}

function splitInline(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** The one value of an option, or null when it is absent. */
export function optionValue(parsed: ParsedArguments, name: string): string | null {
  return parsed.values.get(name)?.[0] ?? null;
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `10m`, `90s`, `2h`, `1d`, `500ms` in milliseconds; a usage error names the option otherwise. */
export function parseDuration(option: string, text: string, command: CommandName | null): number {
  const match = DURATION.exec(text);
  if (!match) throw new UsageError(`--${option} must be a duration like 90s, 10m, 2h or 1d, not '${text}'`, command);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** A positive number option, or null when absent. */
export function parsePositive(option: string, text: string | null, command: CommandName | null): number | null {
  if (text === null) return null;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${option} must be a positive number, not '${text}'`, command);
  return value;
}
