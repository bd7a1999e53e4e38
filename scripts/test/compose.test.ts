/**
 * docker-compose.yml, the Dockerfile and its entrypoint, checked by construction: there is no Docker
 * engine where the tests run, so this reads the files and holds them to what the services need.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The HTTP port each service listens on by default, and the one compose publishes. */
const EXPECTED_PORTS: Record<string, number> = {
  gateway: 8080,
  planner: 9101,
  dispatcher: 9102,
  ingest: 9103,
  discovery: 9104,
  detector: 9105,
  healer: 9106,
  optimizer: 9107,
  router: 9108,
  executor: 9109,
  projector: 9110,
};
const INFRA = ['kafka', 'registry', 'redis'] as const;

type Json = Record<string, unknown>;
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: unknown };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: (string | number | Json)[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
}

// Merge keys (`<<: *anchor`) are YAML 1.1; compose resolves them, so the parser must as well.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services?: Record<string, ComposeService> };
const services = compose.services ?? {};

const serviceDirs = readdirSync(join(ROOT, 'services'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'services', d.name, 'package.json')))
  .map((d) => d.name)
  .sort();

/** Compose's `${VAR:-default}`, `${VAR-default}` and `${VAR}` as they resolve with nothing set. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_m, _name: string, fallback?: string) => fallback ?? '');
}

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  const out: Record<string, string> = {};
  if (Array.isArray(env)) {
    for (const entry of env) {
      const eq = entry.indexOf('=');
      if (eq > 0) out[entry.slice(0, eq)] = interpolate(entry.slice(eq + 1));
    }
  } else {
    for (const [key, value] of Object.entries(env)) out[key] = value === null || value === undefined ? '' : interpolate(String(value));
  }
  return out;
}

function dependsOn(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  // The list form means `service_started`.
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, spec]) => [name, spec?.condition ?? 'service_started']));
}

interface Binding { hostIp: string; hostPort: number; containerPort: number }

/** Published ports, short (`[ip:]host:container[/proto]`) and long syntax; unpublished ones are left out. */
function bindingsOf(service: ComposeService): Binding[] {
  const out: Binding[] = [];
  for (const raw of service.ports ?? []) {
    if (typeof raw === 'object') {
      const published = raw.published === undefined ? undefined : Number(interpolate(String(raw.published)));
      if (published === undefined) continue;
      out.push({ hostIp: String(raw.host_ip ?? ''), hostPort: published, containerPort: Number(raw.target) });
      continue;
    }
    const spec = interpolate(String(raw)).replace(/\/(tcp|udp)$/, '');
    const parts = spec.split(':');
    if (parts.length === 1) continue; // container port only: an ephemeral host port
    const containerPort = Number(parts.pop());
    const hostPort = Number(parts.pop());
    out.push({ hostIp: parts.join(':'), hostPort, containerPort });
  }
  return out;
}

function healthTest(service: ComposeService): string[] {
  const test = service.healthcheck?.test;
  if (test === undefined) return [];
  return typeof test === 'string' ? ['CMD-SHELL', test] : test;
}

function commandOf(service: ComposeService): string[] {
  const command = service.command;
  if (command === undefined) return [];
  return typeof command === 'string' ? command.trim().split(/\s+/) : command.map(String);
}

describe('docker-compose.yml', () => {
  it('parses and has services', () => {
    expect(Object.keys(services).length).toBeGreaterThan(0);
  });

  it('has a compose service for every directory under services/, and the port table knows them all', () => {
    expect(serviceDirs.length).toBeGreaterThan(0);
    for (const name of serviceDirs) {
      expect(services, `services/${name} has no compose service`).toHaveProperty(name);
      expect(EXPECTED_PORTS, `services/${name} has no expected HTTP port in this test`).toHaveProperty(name);
    }
  });

  it('has the infrastructure services, each with a healthcheck', () => {
    for (const name of INFRA) {
      expect(services, `no ${name} service`).toHaveProperty(name);
      const test = healthTest(services[name]!);
      expect(test.length, `${name} has no healthcheck`).toBeGreaterThan(1);
      expect(test[0], `${name}'s healthcheck is disabled`).not.toBe('NONE');
      expect(services[name]!.healthcheck?.disable ?? false).toBe(false);
    }
  });

  it('runs Kafka as a single KRaft broker+controller with replication factor 1 for internal topics', () => {
    const kafka = services.kafka!;
    expect(kafka.image).toMatch(/^apache\/kafka:3\.\d+\.\d+$/);
    const env = environmentOf(kafka);
    expect(env.KAFKA_PROCESS_ROLES?.split(',').sort()).toEqual(['broker', 'controller']);
    expect(env.CLUSTER_ID, 'the apache/kafka image refuses KRaft without CLUSTER_ID').toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toMatch(new RegExp(`^${env.KAFKA_NODE_ID}@kafka:\\d+$`));
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR).toBe('1');
    // Every listener named is mapped to a protocol, and the controller's is one of them.
    const protocols = new Set((env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP ?? '').split(',').map((p) => p.split(':')[0]));
    const listenerNames = (list: string | undefined) => (list ?? '').split(',').map((l) => l.split('://')[0]);
    for (const name of [...listenerNames(env.KAFKA_LISTENERS), ...listenerNames(env.KAFKA_ADVERTISED_LISTENERS)]) {
      expect(protocols.has(name), `listener ${name} has no security protocol`).toBe(true);
    }
    expect(listenerNames(env.KAFKA_LISTENERS)).toContain(env.KAFKA_CONTROLLER_LISTENER_NAMES);
    // The host listener is advertised on the port compose publishes it on.
    for (const advertised of (env.KAFKA_ADVERTISED_LISTENERS ?? '').split(',')) {
      const [, name, host, port] = /^(\w+):\/\/([^:]+):(\d+)$/.exec(advertised) ?? [];
      expect(name, `bad advertised listener ${advertised}`).toBeDefined();
      if (host === 'localhost' || host === '127.0.0.1') {
        const internal = (env.KAFKA_LISTENERS ?? '').split(',').find((l) => l.startsWith(`${name}://`));
        const internalPort = Number(internal?.split(':').pop());
        expect(bindingsOf(kafka)).toContainEqual(expect.objectContaining({ hostPort: Number(port), containerPort: internalPort }));
      }
    }
    expect(healthTest(kafka).join(' ')).toMatch(/kafka-(broker-api-versions|topics)\.sh/);
  });

  it('runs Apicurio Registry 3 with BACKWARD as the global compatibility rule', () => {
    const registry = services.registry!;
    expect(registry.image).toMatch(/^apicurio\/apicurio-registry:3\./);
    expect(environmentOf(registry).APICURIO_RULES_GLOBAL_COMPATIBILITY).toBe('BACKWARD');
    expect(healthTest(registry).join(' ')).toContain('/apis/ccompat/v7');
  });

  it('runs Redis 7 without persistence', () => {
    const redis = services.redis!;
    expect(redis.image).toMatch(/^redis:7(\.|-|$)/);
    const command = commandOf(redis);
    const save = command.indexOf('--save');
    expect(save, 'RDB snapshots are not turned off').toBeGreaterThanOrEqual(0);
    expect(command[save + 1]).toBe('');
    const aof = command.indexOf('--appendonly');
    expect(command[aof + 1], 'the append-only file is not turned off').toBe('no');
  });

  describe.each(Object.keys(EXPECTED_PORTS))('Maestro service %s', (name) => {
    const service = (): ComposeService => {
      const s = services[name];
      if (!s) throw new Error(`no compose service ${name}`);
      return s;
    };

    it('is built from this repository with the Dockerfile', () => {
      const build = service().build;
      const context = typeof build === 'string' ? build : build?.context;
      const dockerfile = typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      expect(context).toBe('.');
      expect(existsSync(join(ROOT, context ?? '', dockerfile)), `${dockerfile} does not exist`).toBe(true);
      expect(service().entrypoint, 'the image entrypoint is what runs a service').toBeUndefined();
    });

    it('runs its own service', () => {
      expect(commandOf(service())).toEqual([name]);
    });

    it('reaches kafka, registry and redis by their compose hostnames', () => {
      const env = environmentOf(service());
      expect(env.KAFKA_BROKERS).toBe('kafka:9092');
      expect(env.SCHEMA_REGISTRY_URL).toBe('http://registry:8080/apis/ccompat/v7');
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.HTTP_HOST).toBe('0.0.0.0');
      // What those names point at: the broker advertises that address on the compose network.
      const kafkaEnv = environmentOf(services.kafka!);
      expect(kafkaEnv.KAFKA_ADVERTISED_LISTENERS?.split(',').map((l) => l.split('://')[1])).toContain(env.KAFKA_BROKERS);
    });

    it('listens on its port and publishes it on the same host port', () => {
      const port = EXPECTED_PORTS[name]!;
      expect(environmentOf(service()).HTTP_PORT).toBe(String(port));
      expect(bindingsOf(service())).toContainEqual(expect.objectContaining({ hostPort: port, containerPort: port }));
    });

    it('has a healthcheck on /readyz that needs no curl', () => {
      const test = healthTest(service());
      expect(test[0]).toMatch(/^CMD(-SHELL)?$/);
      const line = test.slice(1).join(' ');
      expect(line).toContain('/readyz');
      expect(line).toMatch(/HTTP_PORT|:\d+\/readyz/);
      expect(line).not.toMatch(/\b(curl|wget)\b/);
      if (test[0] === 'CMD') expect(test[1]).toBe('node');
    });

    it('waits for healthy kafka, registry and redis', () => {
      const deps = dependsOn(service());
      for (const infra of INFRA) expect(deps[infra], `${name} does not wait for ${infra} to be healthy`).toBe('service_healthy');
    });
  });

  it('publishes no host port twice', () => {
    const seen = new Map<number, string>();
    for (const [name, service] of Object.entries(services)) {
      for (const { hostPort } of bindingsOf(service)) {
        expect(Number.isInteger(hostPort), `${name} publishes an unreadable port`).toBe(true);
        expect(seen.get(hostPort), `host port ${hostPort} is published by both ${seen.get(hostPort)} and ${name}`).toBeUndefined();
        seen.set(hostPort, name);
      }
    }
    expect(seen.get(8080)).toBe('gateway');
  });

  it('depends only on services it defines, never on itself', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const target of Object.keys(dependsOn(service))) {
        expect(target, `${name} depends on itself`).not.toBe(name);
        expect(services, `${name} depends on ${target}, which is not defined`).toHaveProperty(target);
      }
    }
  });
});

/** Instructions of a Dockerfile, continuation lines joined and comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const all = instructions(text);
  const lastFrom = all.map((i) => i.op).lastIndexOf('FROM');
  const final = all.slice(lastFrom);
  const args = Object.fromEntries(
    all.filter((i) => i.op === 'ARG' && i.args.includes('=')).map((i) => {
      const [k, v] = i.args.split('=', 2);
      return [k, (v ?? '').replace(/^"|"$/g, '')];
    }),
  );
  const resolveArgs = (s: string) => s.replace(/\$\{?(\w+)\}?/g, (_m, k: string) => args[k] ?? '');

  it('builds every stage from node:20-bookworm-slim', () => {
    const froms = all.filter((i) => i.op === 'FROM').map((i) => resolveArgs(i.args.split(/\s+/)[0] ?? ''));
    expect(froms.length).toBeGreaterThan(0);
    for (const image of froms) expect(image).toBe('node:20-bookworm-slim');
  });

  it('installs the locked tree with dev dependencies, since tsx runs the services', () => {
    const rootPackage = JSON.parse(read('package.json')) as { devDependencies?: Record<string, string> };
    expect(rootPackage.devDependencies).toHaveProperty('tsx');
    const installs = all.filter((i) => i.op === 'RUN' && /\bnpm (ci|install|i)\b/.test(i.args));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) {
      expect(install.args).toMatch(/\bnpm ci\b/);
      expect(install.args).toContain('--include=dev');
      expect(install.args).not.toMatch(/--omit[= ]dev|--production|--only[= ]prod/);
    }
    expect(text).toContain('package-lock.json');
  });

  it('runs as a non-root user', () => {
    const users = final.filter((i) => i.op === 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length, 'the final stage sets no USER').toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1));
  });

  it('starts through the entrypoint script, which exists where WORKDIR puts the sources', () => {
    const workdir = final.filter((i) => i.op === 'WORKDIR').at(-1)?.args;
    const entrypoint = final.filter((i) => i.op === 'ENTRYPOINT').at(-1)?.args;
    expect(workdir).toBe('/app');
    expect(entrypoint).toBeDefined();
    const argv = JSON.parse(entrypoint!) as string[];
    const script = argv.find((a) => a.endsWith('.sh'));
    expect(script, 'ENTRYPOINT names no script').toBeDefined();
    expect(script!.startsWith(`${workdir}/`)).toBe(true);
    expect(existsSync(join(ROOT, script!.slice(workdir!.length + 1)))).toBe(true);
    // The sources are copied to WORKDIR after the install.
    expect(final.some((i) => i.op === 'COPY' && /^\.\s+\.\/?$/.test(i.args))).toBe(true);
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('keeps installed trees and local state out of the context', () => {
    expect(patterns).toContain('**/node_modules');
    expect(patterns).toContain('.git');
    expect(patterns).toContain('.stack');
  });

  it('keeps what the image needs in it', () => {
    const needed = ['package.json', 'package-lock.json', 'libs', 'services', 'schemas', 'infra', 'infra/docker', 'infra/docker/run-service.sh'];
    for (const pattern of patterns) {
      for (const path of needed) expect(pattern === path || pattern === `${path}/` || pattern === `/${path}`, `.dockerignore drops ${path}`).toBe(false);
    }
    expect(patterns.some((p) => p === '*' || p === '**' || /^(libs|services)\/\*\/src/.test(p))).toBe(false);
  });
});

describe('infra/docker/run-service.sh', () => {
  // A stand-in `node` on PATH prints its arguments instead of starting a service.
  const bin = mkdtempSync(join(tmpdir(), 'maestro-entry-'));
  const fakeNode = join(bin, 'node');
  writeFileSync(fakeNode, '#!/bin/sh\necho "node $*"\n');
  chmodSync(fakeNode, 0o755);
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  const script = join(ROOT, 'infra/docker/run-service.sh');
  const run = (argv: string[], env: Record<string, string> = {}) =>
    spawnSync('sh', [script, ...argv], {
      cwd: tmpdir(), // the script finds the repository from its own location, not the caller's
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, ...env },
      encoding: 'utf8',
    });

  it.each(serviceDirs)('runs %s from services/<name>/src/main.ts with tsx', (name) => {
    const result = run([name]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`node --import tsx services/${name}/src/main.ts`);
    const pkg = JSON.parse(read(`services/${name}/package.json`)) as { main?: string };
    expect(pkg.main).toBe('src/main.ts');
  });

  it('takes the service from MAESTRO_SERVICE when no command is given, and passes extra arguments on', () => {
    expect(run([], { MAESTRO_SERVICE: 'planner' }).stdout.trim()).toBe('node --import tsx services/planner/src/main.ts');
    expect(run(['router', '--flag']).stdout.trim()).toBe('node --import tsx services/router/src/main.ts --flag');
  });

  it('refuses a missing, unknown or path-like service name', () => {
    for (const argv of [[], ['nope'], ['../libs'], ['planner/../gateway']]) {
      const result = run(argv);
      expect(result.status, `accepted ${JSON.stringify(argv)}`).toBe(64);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/run-service: /);
    }
  });

  it('is valid sh', () => {
    expect(() => execFileSync('sh', ['-n', script])).not.toThrow();
  });
});
