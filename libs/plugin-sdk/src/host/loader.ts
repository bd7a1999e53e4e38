/**
 * Loading the plugin modules MAESTRO_PLUGINS names, at boot. A module that cannot be imported, does
 * not finish loading, or does not default-export a valid plugin stops the service with a
 * ConfigError naming MAESTRO_PLUGINS, the module and every problem found: a service that started
 * without a policy plugin its operator configured would quietly allow what the plugin forbids.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@maestro/runtime';
import type { PluginDefinition } from '../plugin';
import { pluginShapeProblems } from './shape';

/** The variable plugins are named in. */
export const PLUGINS_VARIABLE = 'MAESTRO_PLUGINS';

/** A plugin module, imported and checked. */
export interface LoadedPlugin {
  /** As written in MAESTRO_PLUGINS. */
  readonly specifier: string;
  readonly definition: PluginDefinition;
}

export interface LoadOptions {
  /** Paths (absolute, or relative to `cwd`) or package names. */
  readonly specifiers: readonly string[];
  /** Where relative paths start. */
  readonly cwd: string;
  /** Longest a module may take to import, top-level awaits included. @default 30_000 */
  readonly loadTimeoutMs?: number;
  /** @default dynamic `import()` */
  readonly importModule?: (url: string) => Promise<unknown>;
}

/** The comma-separated list of MAESTRO_PLUGINS, blanks dropped. */
export function parsePluginList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A path is imported by file URL (so it works from any cwd); anything else is a package name. */
export function moduleUrlOf(specifier: string, cwd: string): string {
  if (specifier.startsWith('file:')) return specifier;
  if (specifier.startsWith('.') || isAbsolute(specifier)) return pathToFileURL(resolve(cwd, specifier)).href;
  return specifier;
}

async function importWithin(url: string, timeoutMs: number, importModule: (url: string) => Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish loading within ${timeoutMs} ms (a top-level await that never settles?)`)), timeoutMs);
  });
  try {
    return await Promise.race([importModule(url), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Imports and checks every module; throws one ConfigError listing every module's problems. */
export async function loadPlugins(options: LoadOptions): Promise<LoadedPlugin[]> {
  const importModule = options.importModule ?? ((url: string) => import(url));
  const loaded: LoadedPlugin[] = [];
  const errors: string[] = [];
  const byName = new Map<string, string>();
  for (const specifier of options.specifiers) {
    let module: unknown;
    try {
      module = await importWithin(moduleUrlOf(specifier, options.cwd), options.loadTimeoutMs ?? 30_000, importModule);
    } catch (err: unknown) {
      errors.push(`plugin module ${specifier} cannot be loaded: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const definition = typeof module === 'object' && module !== null ? (module as { default?: unknown }).default : undefined;
    const problems = pluginShapeProblems(definition);
    const named = typeof (definition as { name?: unknown } | undefined)?.name === 'string' ? ` (plugin "${(definition as { name: string }).name}")` : '';
    if (problems.length > 0) {
      errors.push(`plugin module ${specifier}${named} is not a valid plugin: ${problems.join('; ')}`);
      continue;
    }
    const plugin = definition as PluginDefinition;
    const earlier = byName.get(plugin.name);
    if (earlier !== undefined) {
      errors.push(`plugin module ${specifier}${named} has the same name as ${earlier}: names identify plugins in audit records`);
      continue;
    }
    byName.set(plugin.name, specifier);
    loaded.push({ specifier, definition: plugin });
  }
  if (errors.length > 0) throw new ConfigError(PLUGINS_VARIABLE, errors.join(' | '));
  return loaded;
}
