/**
 * A broker of a test's own, for tests that need a listener the run's stack may not have (SASL, TLS):
 * infra/local/stack.sh in its own directory and ports, reusing the shared registry and Redis. Other
 * parts of a test's own (a registry) go through the same {@link runStackIn}.
 */
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { stackEnv } from './environment';

const root = resolve(import.meta.dirname, '../..');

export interface OwnBroker {
  /** Under the repository, e.g. '.stack/tls'. */
  dir: string;
  port: number;
  tls: boolean;
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      res(true);
    });
    socket.once('error', () => res(false));
  });
}

export function ownBrokerDir(broker: OwnBroker): string {
  return resolve(root, broker.dir);
}

/**
 * Runs infra/local/stack.sh `command` in `dir` (under the repository) with `env` over the test's
 * environment: a part named there as external (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL) is
 * only checked, and `undefined` keeps a variable of the test's environment from reaching the script.
 */
export function runStackIn(dir: string, command: 'up' | 'down', env: Record<string, string | undefined>): void {
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env, MAESTRO_STACK_DIR: resolve(root, dir) }).filter(([, v]) => v !== undefined));
  const run = spawnSync('bash', [resolve(root, 'infra/local/stack.sh'), command], { env: merged, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`stack.sh ${command} failed in ${dir} (exit ${run.status})`);
}

export function ownStack(broker: OwnBroker, command: 'up' | 'down'): void {
  runStackIn(broker.dir, command, {
    // KAFKA_BROKERS must not reach stack.sh: it would take the broker as external and start none.
    KAFKA_BROKERS: undefined,
    MAESTRO_KAFKA_PORT: String(broker.port), MAESTRO_KAFKA_CONTROLLER_PORT: String(broker.port + 1),
    SCHEMA_REGISTRY_URL: stackEnv.SCHEMA_REGISTRY_URL, REDIS_URL: stackEnv.REDIS_URL, MAESTRO_KAFKA_AUTH: 'scram',
    ...(broker.tls ? { MAESTRO_KAFKA_TLS: 'on' } : {}),
  });
}
