/**
 * `npm start`: brings up the local stack (Kafka, registry, Redis; provisioned on first use), starts
 * every service as its own process, and prints where each listens once all are ready. Each
 * service's log goes to .stack/logs/<service>.log; warnings and errors are echoed here. Ctrl-C
 * stops the services gracefully and leaves the stack running for a quick restart
 * (`npm run stack:down` stops it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const services = [
  ['gateway', 8080], ['planner', 9101], ['dispatcher', 9102], ['ingest', 9103], ['discovery', 9104],
  ['detector', 9105], ['healer', 9106], ['optimizer', 9107], ['router', 9108],
] as const;
const logDir = join(process.env.MAESTRO_STACK_DIR ?? join(root, '.stack'), 'logs');
// Callers made with `npm run maestro -- caller add` are admitted unless a trust store is named.
const cliTrustStore = join(process.env.MAESTRO_HOME ?? join(root, '.maestro'), 'trust.json');
const trustStore = process.env.GATEWAY_TRUST_STORE ?? (existsSync(cliTrustStore) ? cliTrustStore : undefined);

const stack = spawnSync('bash', [join(root, 'infra/local/stack.sh'), 'up'], { stdio: 'inherit' });
if (stack.status !== 0) process.exit(stack.status ?? 1);
mkdirSync(logDir, { recursive: true });

const children = new Map<string, ChildProcess>();
const ready = new Map<string, string>();
let stopping = false;

function levelOf(line: string): number {
  const match = /"level":(\d+)/.exec(line);
  return match ? Number(match[1]) : 30;
}

for (const [name, port] of services) {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services', name, 'src/main.ts')], {
    cwd: root,
    env: {
      KAFKAJS_NO_PARTITIONER_WARNING: '1', ...process.env, HTTP_PORT: process.env[`${name.toUpperCase()}_HTTP_PORT`] ?? String(port),
      ...(name === 'gateway' && trustStore ? { GATEWAY_TRUST_STORE: trustStore } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  let pending = '';
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    pending += chunk.toString();
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.includes('"msg":"ready"')) {
        ready.set(name, (JSON.parse(line) as { url: string }).url);
        if (ready.size === services.length) announce();
      } else if (levelOf(line) >= 40 || !line.startsWith('{')) {
        process.stdout.write(`[${name}] ${line}\n`);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      process.stdout.write(`[${name}] exited (code ${code}, signal ${signal}); see ${join(logDir, `${name}.log`)}. Stopping the others.\n`);
      void stopAll(1);
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0);
    }
  });
}

function announce(): void {
  const width = Math.max(...services.map(([n]) => n.length));
  process.stdout.write('\nMaestro is up. Each service serves /healthz, /readyz and /metrics:\n');
  for (const [name] of services) process.stdout.write(`  ${name.padEnd(width)}  ${ready.get(name)}\n`);
  process.stdout.write(`\nAPI: ${ready.get('gateway')}/v1/telemetry and ${ready.get('gateway')}/v1/protocol/maestro.<operation>\n`);
  process.stdout.write(`Logs: ${logDir}/<service>.log. Ctrl-C stops the services; npm run stack:down stops Kafka and the registry.\n\n`);
}

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
