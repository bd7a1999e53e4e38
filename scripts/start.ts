/**
 * `npm start`: brings up the local stack (Kafka, registry, Redis; provisioned on first use), starts
 * every service as its own process under a supervisor, and prints where each listens once all are
 * ready. Each service's log goes to .stack/logs/<service>.log; warnings and errors are echoed here.
 *
 * A service that dies is started again with backoff (scripts/supervision), and the restart is said
 * here. SIGINT, SIGTERM or SIGHUP to this process — from a terminal's Ctrl-C or sent to npm alone,
 * which `exec` in package.json makes this process's direct parent — stops every service gracefully,
 * and so does npm's own death (this process is then re-parented). The stack stays running for a
 * quick restart (`npm run stack:down` stops it). MAESTRO_SERVICES=gateway,ingest starts a subset.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { connectionEnv, credentialsOf, grantAsAdmin, localCredentialsPath, localKafkaAuth, readCredentialsFile, tlsOf } from '@maestro/bus';
import { createSupervisor, type ProcessSpec } from './supervision/supervisor';

const root = resolve(import.meta.dirname, '..');
const allServices = [
  ['gateway', 8080], ['planner', 9101], ['dispatcher', 9102], ['ingest', 9103], ['discovery', 9104],
  ['detector', 9105], ['healer', 9106], ['optimizer', 9107], ['router', 9108], ['executor', 9109],
  ['projector', 9110],
] as const;
const wanted = process.env.MAESTRO_SERVICES?.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = wanted?.filter((name) => !allServices.some(([n]) => n === name)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`MAESTRO_SERVICES names unknown services: ${unknown.join(', ')} (known: ${allServices.map(([n]) => n).join(', ')})\n`);
  process.exit(2);
}
const services = allServices.filter(([name]) => !wanted || wanted.includes(name));
const logDir = join(process.env.MAESTRO_STACK_DIR ?? join(root, '.stack'), 'logs');
// Callers made with `npm run maestro -- caller add` are admitted unless a trust store is named; the
// gateway follows the file, so one added while it runs is admitted too. The file is made empty when
// missing, so that a caller added after the start still has a file the gateway watches.
const cliHome = process.env.MAESTRO_HOME ?? join(root, '.maestro');
const trustStore = process.env.GATEWAY_TRUST_STORE ?? emptyIfMissing(join(cliHome, 'trust.json'), 0o644);
// Telemetry tokens made with `npm run maestro -- token add`, likewise.
const telemetryTokens = process.env.GATEWAY_TELEMETRY_TOKENS ?? emptyIfMissing(join(cliHome, 'tokens.json'), 0o600);

function emptyIfMissing(path: string, mode: number): string {
  if (!existsSync(path)) {
    mkdirSync(cliHome, { recursive: true });
    writeFileSync(path, '{}\n', { mode, flag: 'wx' });
  }
  return path;
}
// Longer than a service's own graceful shutdown (SHUTDOWN_GRACE_MS, 10 s by default), so SIGKILL is for the stuck.
const stopGraceMs = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000) + 5_000;

const stack = spawnSync('bash', [join(root, 'infra/local/stack.sh'), 'up'], { stdio: 'inherit' });
if (stack.status !== 0) process.exit(stack.status ?? 1);
mkdirSync(logDir, { recursive: true });

// MAESTRO_KAFKA_AUTH=scram: each service connects as its own user, with its ACLs granted for the prefix first;
// over TLS when the broker's credentials file names a CA (the broker that runs decides, not a default here).
const kafkaCredentials = localKafkaAuth(process.env) === 'scram' ? readCredentialsFile(localCredentialsPath(process.env, root)) : undefined;
if (kafkaCredentials) {
  await grantAsAdmin({
    brokers: (process.env.KAFKA_BROKERS ?? kafkaCredentials.brokers).split(','), admin: credentialsOf(kafkaCredentials, 'admin'), tls: tlsOf(kafkaCredentials),
    services: services.map(([name]) => name), topicPrefix: process.env.MAESTRO_TOPIC_PREFIX ?? '',
  });
}

const logs = new Map<string, WriteStream>(services.map(([name]) => [name, createWriteStream(join(logDir, `${name}.log`), { flags: 'a' })]));
const ready = new Map<string, string>();
let announced = false;

function levelOf(line: string): number {
  const match = /"level":(\d+)/.exec(line);
  return match ? Number(match[1]) : 30;
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

const specs: ProcessSpec[] = services.map(([name, port]) => ({
  name,
  command: process.execPath,
  args: ['--import', 'tsx', join(root, 'services', name, 'src/main.ts')],
  cwd: root,
  env: {
    KAFKAJS_NO_PARTITIONER_WARNING: '1', ...process.env, HTTP_PORT: process.env[`${name.toUpperCase()}_HTTP_PORT`] ?? String(port),
    ...(kafkaCredentials ? { KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? kafkaCredentials.brokers, ...connectionEnv(kafkaCredentials, name) } : {}),
    ...(name === 'gateway' && trustStore ? { GATEWAY_TRUST_STORE: trustStore } : {}),
    ...(name === 'gateway' && telemetryTokens ? { GATEWAY_TELEMETRY_TOKENS: telemetryTokens } : {}),
  },
}));

const supervisor = createSupervisor({
  processes: specs,
  stopGraceMs,
  events: {
    output: (name, chunk) => logs.get(name)?.write(chunk),
    started(name, pid, restarts) {
      if (restarts > 0) say(`[${name}] restarted (pid ${pid}, restart ${restarts})`);
    },
    line(name, line) {
      if (line.includes('"msg":"ready"')) {
        const url = (JSON.parse(line) as { url: string }).url;
        const again = ready.has(name);
        ready.set(name, url);
        if (again && announced) say(`[${name}] ready again at ${url}`);
        if (!announced && ready.size === services.length) announce();
      } else if (levelOf(line) >= 40 || !line.startsWith('{')) {
        say(`[${name}] ${line}`);
      }
    },
    died(name, exit, restartInMs) {
      say(`[${name}] exited (code ${exit.code}, signal ${exit.signal}); restarting in ${restartInMs / 1000} s. Log: ${join(logDir, `${name}.log`)}`);
    },
  },
});

function announce(): void {
  announced = true;
  const width = Math.max(...services.map(([n]) => n.length));
  say('\nMaestro is up. Each service serves /healthz, /readyz and /metrics:');
  for (const [name] of services) say(`  ${name.padEnd(width)}  ${ready.get(name)}`);
  const gateway = ready.get('gateway');
  if (gateway) say(`\nAPI: ${gateway}/v1/telemetry and ${gateway}/v1/protocol/maestro.<operation>\nConsole: ${gateway}/console (paste a token of npm run maestro -- token add)`);
  say(`Logs: ${logDir}/<service>.log. Ctrl-C stops the services; npm run stack:down stops Kafka and the registry.\n`);
}

let stopping = false;
async function stopAll(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`\n${reason}: stopping the services…`);
  await supervisor.stop();
  for (const log of logs.values()) log.end();
  say('all services stopped.');
  process.exit(0);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(signal));
// npm killed without forwarding a signal (SIGKILL) leaves this process re-parented: nobody is there to stop it later.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void stopAll(`parent process ${parentPid} is gone`);
}, 1_000).unref();

supervisor.start();
