import type { RunRequest } from './runner';
import { RunnerConfigError } from './spec-fields';

/**
 * `{name}` placeholders in a command's arguments and environment, filled from the action:
 * {actionId} {anomalyId} {assetId} {strategy} {attempt} {tenant}, and {params.<name>} for one of
 * the action's params (a non-string param is passed as JSON). Each placeholder becomes exactly one
 * argument's text: no shell ever sees it, so an asset id cannot inject a command.
 */
const FIXED = ['actionId', 'anomalyId', 'assetId', 'strategy', 'attempt', 'tenant'] as const;
const PATTERN = /\{([\w.-]+)\}/g;

/** Checks a template at boot; an unknown placeholder is a configuration error. */
export function checkTemplate(template: string, at: string): void {
  for (const [, name] of template.matchAll(PATTERN)) {
    if (!(FIXED as readonly string[]).includes(name!) && !/^params\.[\w-]+$/.test(name!)) {
      throw new RunnerConfigError(at, `unknown placeholder {${name}} (known: ${FIXED.map((f) => `{${f}}`).join(' ')} {params.<name>})`);
    }
  }
}

/** A template whose placeholder has no value in this action (a missing param). */
export class MissingParamError extends Error {}

export function fillTemplate(template: string, request: RunRequest): string {
  return template.replace(PATTERN, (_, name: string) => {
    if (name.startsWith('params.')) {
      const value = request.params[name.slice('params.'.length)];
      if (value === undefined) throw new MissingParamError(`the action has no param "${name.slice('params.'.length)}" for {${name}}`);
      return typeof value === 'string' ? value : JSON.stringify(value);
    }
    const value = request[name as (typeof FIXED)[number]];
    return value === null ? '' : String(value);
  });
}
