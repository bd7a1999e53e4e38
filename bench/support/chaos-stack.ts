/**
 * A broker and a Redis of the chaos benchmark's own, so that pausing, restarting and wiping them
 * hurts nobody else on the machine: infra/local/stack.sh with its own directory and ports, the
 * shared registry reused (subjects are namespaced by the run's topic prefix and the registry is not
 * one of the faults).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface ChaosStack {
  /** The stack directory (MAESTRO_STACK_DIR): the broker's data, its credentials, the benchmark's logs. */
  readonly dir: string;
  /** Environment for services and clients of this stack. */
  readonly env: Record<string, string>;
  /** SIGSTOP the broker for `ms`, then SIGCONT. */
  pauseBroker(ms: number): Promise<void>;
  /**
   * Stops the broker (SIGTERM, its data kept) and starts it again; resolves once it answers. Without
   * blocking: the load and the readiness clock go on meanwhile (a synchronous restart stopped both).
   */
  restartBroker(): Promise<void>;
  /** Kills Redis (it keeps nothing on disk: every key is lost) and starts it again. */
  restartRedis(): Promise<void>;
  /** Stops this stack's broker and Redis. */
  down(): void;
}

export function startChaosStack(options: { kafkaPort: number; redisPort: number; registryUrl: string; dir?: string }): ChaosStack {
  const dir = options.dir ?? join(root, '.stack', 'chaos');
  const env = {
    MAESTRO_STACK_DIR: dir,
    MAESTRO_KAFKA_PORT: String(options.kafkaPort),
    MAESTRO_KAFKA_CONTROLLER_PORT: String(options.kafkaPort + 1),
    SCHEMA_REGISTRY_URL: options.registryUrl,
    REDIS_URL: `redis://127.0.0.1:${options.redisPort}`,
  };
  // KAFKA_BROKERS must not be set for stack.sh: it would treat the broker as external and start none.
  const stackEnv = () => {
    const { KAFKA_BROKERS: _ignored, ...inherited } = process.env;
    return { ...inherited, ...env };
  };
  const stack = (command: string) => {
    const run = spawnSync('bash', [join(root, 'infra/local/stack.sh'), command], { env: stackEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) throw new Error(`stack.sh ${command} failed for the chaos stack (exit ${run.status})`);
  };
  const stackAsync = (command: string) => new Promise<void>((res, rej) => {
    const child = spawn('bash', [join(root, 'infra/local/stack.sh'), command], { env: stackEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', rej);
    child.once('exit', (code) => (code === 0 ? res() : rej(new Error(`stack.sh ${command} failed for the chaos stack (exit ${code})`))));
  });
  const pidOf = (file: string) => Number(readFileSync(join(dir, file), 'utf8').trim());
  const waitGone = async (pid: number) => {
    for (let i = 0; i < 300; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    process.kill(pid, 'SIGKILL');
  };

  // Fresh broker data for every run: each run adds its own prefix's topics, and a broker restart
  // loading every earlier run's partitions would make the runs incomparable.
  stack('reset');
  stack('up');
  return {
    dir,
    env: { ...env, KAFKA_BROKERS: `127.0.0.1:${options.kafkaPort}` },
    async pauseBroker(ms) {
      const pid = pidOf('kafka/kafka.pid');
      process.kill(pid, 'SIGSTOP');
      try {
        await new Promise((r) => setTimeout(r, ms));
      } finally {
        process.kill(pid, 'SIGCONT');
      }
    },
    async restartBroker() {
      const pid = pidOf('kafka/kafka.pid');
      process.kill(pid, 'SIGTERM');
      await waitGone(pid);
      await stackAsync('up');
    },
    async restartRedis() {
      const pid = pidOf('redis.pid');
      process.kill(pid, 'SIGKILL');
      await waitGone(pid);
      await stackAsync('up');
    },
    down: () => stack('down'),
  };
}
