/**
 * A broker of a test's own, for tests that need a listener the run's stack may not have (SASL, TLS):
 * infra/local/stack.sh in its own directory and ports, reusing the shared registry and Redis.
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

export function ownStack(broker: OwnBroker, command: 'up' | 'down'): void {
  // KAFKA_BROKERS must not reach stack.sh: it would take the broker as external and start none.
  const { KAFKA_BROKERS: _external, ...inherited } = process.env;
  const run = spawnSync('bash', [resolve(root, 'infra/local/stack.sh'), command], {
    env: {
      ...inherited, MAESTRO_STACK_DIR: ownBrokerDir(broker), MAESTRO_KAFKA_PORT: String(broker.port), MAESTRO_KAFKA_CONTROLLER_PORT: String(broker.port + 1),
      SCHEMA_REGISTRY_URL: stackEnv.SCHEMA_REGISTRY_URL, REDIS_URL: stackEnv.REDIS_URL, MAESTRO_KAFKA_AUTH: 'scram',
      ...(broker.tls ? { MAESTRO_KAFKA_TLS: 'on' } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`stack.sh ${command} failed for the broker in ${broker.dir} (exit ${run.status})`);
}
