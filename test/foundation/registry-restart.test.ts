/**
 * The local registry keeps its schemas across a restart (infra/local/stack.sh): the broker keeps its
 * topics, so the schema id in a record must go on naming the schema it was written with. In memory,
 * a restarted registry numbered the schemas afresh in the order the services registered them, and
 * records written before read as other types. A registry of the test's own (own directory and ports;
 * the run's broker and Redis are external to it), started, stopped and started again.
 */
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../support/environment';
import { runStackIn } from '../support/own-broker';

const dir = '.stack/registry-restart';
const dataDir = resolve(import.meta.dirname, '../..', dir, 'registry-data');
const port = 18_081;
const api = `http://127.0.0.1:${port}/apis/ccompat/v7`;

const stack = (command: 'up' | 'down') => runStackIn(dir, command, {
  MAESTRO_REGISTRY_PORT: String(port), MAESTRO_REGISTRY_MANAGEMENT_PORT: String(port + 1),
  KAFKA_BROKERS: stackEnv.KAFKA_BROKERS, REDIS_URL: stackEnv.REDIS_URL, SCHEMA_REGISTRY_URL: undefined,
});

/** One request on a connection of its own: a pooled one would still point at the registry stopped since. */
function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((res, rej) => {
    const req = request(`${api}${path}`, { method, agent: false, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } }, (answer) => {
      let text = '';
      answer.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => res({ status: answer.statusCode ?? 0, json: JSON.parse(text) as unknown }));
    });
    req.on('error', rej);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Registers `name` under its own subject; answers the id the registry gives it. */
async function register(name: string): Promise<number> {
  const schema = JSON.stringify({ type: 'record', name, namespace: 'maestro.test', fields: [{ name: 'x', type: 'int' }] });
  const answer = await call('POST', `/subjects/${name}-value/versions`, { schema });
  expect(answer.status).toBe(200);
  return (answer.json as { id: number }).id;
}

const schemaName = async (id: number): Promise<string> => (JSON.parse(((await call('GET', `/schemas/ids/${id}`)).json as { schema: string }).schema) as { name: string }).name;

afterAll(() => {
  stack('down');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the local schema registry', () => {
  it('answers the same id for the same schema after a restart, and registers in another order without renumbering', async () => {
    rmSync(dataDir, { recursive: true, force: true });
    stack('up');
    const first = { Alpha: await register('Alpha'), Beta: await register('Beta') };
    stack('down');
    stack('up');
    // The services register again at start, perhaps in another order: each schema keeps its id.
    expect({ Beta: await register('Beta'), Alpha: await register('Alpha') }).toEqual({ Beta: first.Beta, Alpha: first.Alpha });
    expect([await schemaName(first.Alpha), await schemaName(first.Beta)]).toEqual(['Alpha', 'Beta']);
    // A schema new after the restart gets an id no earlier schema had.
    expect(Object.values(first)).not.toContain(await register('Gamma'));
  }, 300_000);
});
