/**
 * Checks that a loaded module's default export is a plugin Maestro can use: plain JavaScript
 * plugins get no compiler, and a wrong shape must stop the service at boot with every problem
 * listed, not surface mid-incident as `undefined is not a function`. Pure.
 */
import type { PluginDefinition } from '../plugin';

const PLUGIN_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const KNOWN_KEYS = ['name', 'version', 'strategies', 'policyHooks', 'discoveryProviders', 'runners', 'optimisationSignals'];
const HOOK_SERVICES = ['healer', 'router', 'gateway'];
const LADDER_KINDS = ['spike', 'drop', 'drift', 'oscillation'];
const PLACEMENTS = ['first', 'before_runbook'];
const RESERVED_RUNNER_TYPES = ['webhook', 'command'];

type Problems = string[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Checks a list of named extensions: each an object with a unique non-empty name and the functions it must have. */
function checkList(problems: Problems, where: string, value: unknown, nameKey: string, functions: readonly string[], extra?: (item: Record<string, unknown>, at: string) => void): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    problems.push(`${where} must be an array, got ${describe(value)}`);
    return;
  }
  const seen = new Set<string>();
  value.forEach((item: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isRecord(item)) {
      problems.push(`${at} must be an object, got ${describe(item)}`);
      return;
    }
    const name = item[nameKey];
    if (typeof name !== 'string' || !PLUGIN_NAME.test(name)) problems.push(`${at}.${nameKey} must be a name of lowercase letters, digits, '.', '_' or '-', got ${describe(name)}`);
    else if (seen.has(name)) problems.push(`${at}.${nameKey} "${name}" is registered twice`);
    else seen.add(name);
    for (const fn of functions) if (typeof item[fn] !== 'function') problems.push(`${at}.${fn} must be a function, got ${describe(item[fn])}`);
    extra?.(item, at);
  });
}

/** Every problem with `value` as a plugin definition; empty when it is usable. */
export function pluginShapeProblems(value: unknown): string[] {
  const problems: Problems = [];
  if (!isRecord(value)) return [`the default export must be definePlugin({ name, version, ... }), got ${describe(value)}`];
  if (typeof value.name !== 'string' || !PLUGIN_NAME.test(value.name)) problems.push(`name must be 1 to 64 lowercase letters, digits, '.', '_' or '-', got ${describe(value.name)}`);
  if (typeof value.version !== 'string' || value.version.trim() === '') problems.push(`version must be a non-empty string, got ${describe(value.version)}`);
  for (const key of Object.keys(value)) if (!KNOWN_KEYS.includes(key)) problems.push(`${key} is not known (known: ${KNOWN_KEYS.join(', ')})`);

  checkList(problems, 'strategies', value.strategies, 'name', ['appliesTo', 'plan'], (item, at) => {
    if (item.ladders === undefined) return;
    if (!isRecord(item.ladders)) {
      problems.push(`${at}.ladders must be an object of anomaly kind to placement, got ${describe(item.ladders)}`);
      return;
    }
    for (const [kind, placement] of Object.entries(item.ladders)) {
      if (!LADDER_KINDS.includes(kind)) problems.push(`${at}.ladders.${kind} is not an anomaly kind (${LADDER_KINDS.join(', ')})`);
      else if (typeof placement !== 'string' || !PLACEMENTS.includes(placement)) problems.push(`${at}.ladders.${kind} must be ${PLACEMENTS.join(' or ')}, got ${describe(placement)}`);
    }
  });
  if (value.policyHooks !== undefined) {
    if (!isRecord(value.policyHooks)) problems.push(`policyHooks must be an object of service (${HOOK_SERVICES.join(', ')}) to hooks, got ${describe(value.policyHooks)}`);
    else {
      for (const key of Object.keys(value.policyHooks)) if (!HOOK_SERVICES.includes(key)) problems.push(`policyHooks.${key} is not a service with policy hooks (${HOOK_SERVICES.join(', ')})`);
      for (const service of HOOK_SERVICES) checkList(problems, `policyHooks.${service}`, value.policyHooks[service], 'name', ['evaluate']);
    }
  }
  checkList(problems, 'discoveryProviders', value.discoveryProviders, 'name', ['list'], (item, at) => {
    if (item.precedence !== undefined && !(typeof item.precedence === 'number' && Number.isFinite(item.precedence))) problems.push(`${at}.precedence must be a finite number, got ${describe(item.precedence)}`);
  });
  checkList(problems, 'runners', value.runners, 'type', ['run'], (item, at) => {
    if (typeof item.type === 'string' && RESERVED_RUNNER_TYPES.includes(item.type)) problems.push(`${at}.type "${item.type}" is a built-in runner type`);
    if (item.configure !== undefined && typeof item.configure !== 'function') problems.push(`${at}.configure must be a function, got ${describe(item.configure)}`);
    if (item.idempotent !== undefined && typeof item.idempotent !== 'boolean') problems.push(`${at}.idempotent must be true or false, got ${describe(item.idempotent)}`);
    if (item.timeoutMs !== undefined && !(Number.isSafeInteger(item.timeoutMs) && (item.timeoutMs as number) > 0)) problems.push(`${at}.timeoutMs must be a positive integer, got ${describe(item.timeoutMs)}`);
  });
  checkList(problems, 'optimisationSignals', value.optimisationSignals, 'name', ['measure']);
  return problems;
}

/** Narrows after {@link pluginShapeProblems} found nothing. */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return pluginShapeProblems(value).length === 0;
}
