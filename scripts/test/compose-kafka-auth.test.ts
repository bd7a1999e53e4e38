/**
 * docker compose's authenticated Kafka, checked without Docker (there is no engine where the tests
 * run): infra/docker/kafka-start.sh with stand-in Kafka tools that record what they are given, the
 * compose file's users against services/, and run-service.sh reading a service's own password.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { environment?: Record<string, unknown> }> };
const kafkaEnv = Object.fromEntries(Object.entries(compose.services.kafka!.environment ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]));
const serviceDirs = readdirSync(join(ROOT, 'services'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'services', d.name, 'package.json'))).map((d) => d.name).sort();

const work = mkdtempSync(join(tmpdir(), 'maestro-kafka-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const bin = join(work, 'bin');
const secrets = join(work, 'secrets');
const config = join(work, 'server.properties');
for (const [tool, record] of [['kafka-storage.sh', 'format.args'], ['kafka-server-start.sh', 'start.args']] as const) {
  spawnSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, tool), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${join(work, record)}"\n`);
  chmodSync(join(bin, tool), 0o755);
}

function start() {
  return spawnSync('sh', [join(ROOT, 'infra/docker/kafka-start.sh')], {
    env: {
      PATH: process.env.PATH ?? '', ...kafkaEnv, KAFKA_HEAP_OPTS: '-Xmx1g',
      MAESTRO_KAFKA_BIN: bin, MAESTRO_KAFKA_SECRETS: secrets, MAESTRO_KAFKA_TEMPLATES: join(ROOT, 'infra/local'), MAESTRO_KAFKA_CONFIG: config,
    },
    encoding: 'utf8',
  });
}
const properties = () => Object.fromEntries(readFileSync(config, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const credentials = () => JSON.parse(readFileSync(join(secrets, 'credentials.json'), 'utf8')) as { mechanism: string; users: Record<string, { username: string; password: string }> };

describe('compose Kafka (infra/docker/kafka-start.sh)', () => {
  it('has a user for the admin and for every service', () => {
    expect(kafkaEnv.MAESTRO_KAFKA_USERS!.split(/\s+/).sort()).toEqual(['admin', ...serviceDirs].sort());
  });

  it('makes every user a password once, formats with each as a SCRAM user, and starts the broker on the written config', () => {
    const first = start();
    expect(first.status, first.stderr).toBe(0);
    const made = credentials();
    expect(made.mechanism).toBe('scram-sha-256');
    expect(Object.keys(made.users).sort()).toEqual(['admin', ...serviceDirs].sort());
    for (const [name, user] of Object.entries(made.users)) {
      expect(user.username).toBe(name);
      expect(user.password).toMatch(/^[A-Za-z0-9]{24,}$/);
    }
    expect(statSync(join(secrets, 'credentials.json')).mode & 0o077).toBe(0);
    const format = readFileSync(join(work, 'format.args'), 'utf8').trim().split('\n');
    expect(format.slice(0, 5)).toEqual(['format', '-t', kafkaEnv.CLUSTER_ID, '-c', config]);
    for (const [name, user] of Object.entries(made.users)) expect(format).toContain(`SCRAM-SHA-256=[name=${name},password=${user.password}]`);
    expect(readFileSync(join(work, 'start.args'), 'utf8').trim()).toBe(config);

    // A restart keeps the passwords the services already read.
    expect(start().status).toBe(0);
    expect(credentials()).toEqual(made);
  }, 30_000); // two runs of a shell script of a few dozen processes: seconds on a loaded machine

  it('writes the compose settings and the ACL settings of stack.sh, and nothing of the start scripts', () => {
    const props = properties();
    expect(props.listeners).toBe(kafkaEnv.KAFKA_LISTENERS);
    expect(props['listener.security.protocol.map']).toBe(kafkaEnv.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP);
    expect(props['transaction.state.log.num.partitions']).toBe('10');
    expect(props['broker.session.timeout.ms']).toBe('30000');
    expect(props['heap.opts']).toBeUndefined();
    // Every client listener is SASL, the controller's too: nothing anonymous gets in.
    for (const entry of props['listener.security.protocol.map']!.split(',')) expect(entry.split(':')[1]).toBe('SASL_PLAINTEXT');
    expect(props['authorizer.class.name']).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(props['super.users']).toBe('User:admin');
    expect(props['allow.everyone.if.no.acl.found']).toBe('false');
    const admin = credentials().users.admin!.password;
    expect(props['listener.name.internal.scram-sha-256.sasl.jaas.config']).toContain(`username="admin" password="${admin}"`);
    expect(props['listener.name.host.scram-sha-256.sasl.jaas.config']).toContain('ScramLoginModule required');
    expect(props['listener.name.controller.plain.sasl.jaas.config']).toContain(`user_admin="${admin}"`);
    expect(readFileSync(join(secrets, 'admin-client.properties'), 'utf8')).toContain(`password="${admin}"`);
  });
});

describe('infra/docker/run-service.sh on an authenticated broker', () => {
  const fakeBin = mkdtempSync(join(tmpdir(), 'maestro-entry-auth-'));
  afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));
  writeFileSync(join(fakeBin, 'node'), '#!/bin/sh\necho "$KAFKA_SASL_USERNAME:$KAFKA_SASL_PASSWORD"\n');
  chmodSync(join(fakeBin, 'node'), 0o755);
  const run = (env: Record<string, string>) => spawnSync('sh', [join(ROOT, 'infra/docker/run-service.sh'), 'ingest'], {
    env: { PATH: `${fakeBin}:${process.env.PATH ?? ''}`, KAFKA_SASL_MECHANISM: 'scram-sha-256', MAESTRO_KAFKA_CREDENTIALS: join(secrets, 'credentials.json'), ...env }, encoding: 'utf8',
  });

  it('connects as the service, with its own password from the credentials file', () => {
    const result = run({});
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`ingest:${credentials().users.ingest!.password}`);
  });

  it('keeps credentials given explicitly, and refuses a file without the user', () => {
    expect(run({ KAFKA_SASL_USERNAME: 'other', KAFKA_SASL_PASSWORD: 'given' }).stdout.trim()).toBe('other:given');
    const missing = run({ KAFKA_SASL_USERNAME: 'nobody' });
    expect(missing.status).toBe(78);
    expect(missing.stderr).toMatch(/has no user nobody/);
  });
});
