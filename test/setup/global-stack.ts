import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const stack = (command: string) => spawnSync('bash', [resolve(root, 'infra/local/stack.sh'), command], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

/**
 * Integration tests run against the real Kafka, registry and Redis. A developer's running stack is
 * reused as it is; otherwise the stack is provisioned and started here, once per run, and stopped
 * again at the end so CI leaves nothing behind.
 */
export default function setup(): () => void {
  const alreadyUp = stack('status').status === 0;
  if (!alreadyUp) {
    const up = stack('up');
    if (up.status !== 0) throw new Error('the local stack did not start (see the [stack] lines above); integration tests need real Kafka, registry and Redis');
  }
  return () => {
    if (!alreadyUp) stack('down');
  };
}
