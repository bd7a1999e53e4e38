/**
 * Action params as they cross Kafka: `healing.actions` holds them in an Avro map of strings. A string
 * goes as it is and any other value as JSON, which the executor decodes back (objects and arrays).
 * A null param (a failover for an asset whose provider discovery never learnt) is left out: the map
 * cannot say null, and JSON.stringify(null) would hand a runner the provider "null", which a runbook
 * or a cloud API would take for a real name. Absent, a `{params.provider}` placeholder fails the
 * action with `bad_params` rather than running it against "null".
 */
import type { ActionParams } from './domain';

export function wireParams(params: ActionParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === null) continue;
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}
