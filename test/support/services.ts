import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { stackEnv } from './environment';
import { kafkaEnvFor } from './kafka-auth';

const root = resolve(import.meta.dirname, '../..');

/** The services of the repository, each runnable on its own. */
export const serviceNames = ['gateway', 'planner', 'dispatcher', 'ingest', 'discovery', 'detector', 'healer', 'optimizer', 'router', 'projector', 'executor'] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface SpawnedService {
  name: string;
  proc: ChildProcess;
  /** Set once the service logs that it is ready. */
  url: string;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Every service this test file spawned that has not exited yet. A beforeAll that starts several
 * services at once and fails on one of them (not ready in time) never hands the others to its
 * file's afterAll; without this list they would run on, consuming the two shared cores, for the rest of
 * the run ({@link stopStrays}).
 */
const live = new Set<SpawnedService>();

/**
 * Stops what the file left running with each service's own `stop` (SIGTERM), and SIGKILL for one
 * still up after `graceMs`; answers their scripts. Called after each integration file's own afterAll
 * hooks (test/setup/stop-strays.ts).
 */
export async function stopStrays(graceMs = 10_000): Promise<string[]> {
  const strays = [...live];
  await Promise.all(strays.map(async (service) => {
    const timer = setTimeout(() => service.proc.kill('SIGKILL'), graceMs);
    await service.stop();
    clearTimeout(timer);
  }));
  return strays.map((s) => String(s.proc.spawnargs.at(-1)));
}

/**
 * Starts a service that is expected not to become ready, and answers why it did not (the error
 * {@link spawnService} rejects with). One that does start is stopped at once and answers 'started',
 * which no test's expected failure matches.
 */
export async function startFailure(entry: ServiceName | { script: string; name: string }, env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<string> {
  try {
    await (await spawnService(entry, env, options)).stop();
    return 'started';
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Runs a service (or a test fixture script) as its own process, as `npm start` does, with the test's
 * environment; resolves once it logs "ready" (or, with waitReady false, once spawned).
 */
export async function spawnService(entry: ServiceName | { script: string; name: string }, env: Record<string, string>, options: { waitReady?: boolean; timeoutMs?: number } = {}): Promise<SpawnedService> {
  const script = typeof entry === 'string' ? `services/${entry}/src/main.ts` : entry.script;
  const name = typeof entry === 'string' ? entry : entry.name;
  // MAESTRO_CPU_PROF_DIR (for benchmarks): each spawned service writes a V8 CPU profile there on exit.
  const profile = process.env.MAESTRO_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MAESTRO_CPU_PROF_DIR}`] : [];
  const base: NodeJS.ProcessEnv = { ...process.env, ...stackEnv, HTTP_PORT: '0', LOG_LEVEL: 'info', KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env };
  // On an authenticated broker: the service's own principal, its ACLs granted for this prefix.
  const kafkaEnv = await kafkaEnvFor(name, base);
  const proc = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    cwd: root,
    env: { ...base, ...kafkaEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.once('exit', (code, signal) => {
    live.delete(service);
    res({ code, signal });
  }));
  const service: SpawnedService = {
    name, proc, url: '', output, exited,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
  live.add(service);
  let buffered = '';
  const ready = new Promise<void>((res, rej) => {
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        output.push(line);
        if (line.includes('"msg":"ready"')) {
          try {
            service.url = (JSON.parse(line) as { url: string }).url;
          } catch {
            /* not JSON: keep waiting */
          }
          res();
        }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => rej(new Error(`${name} exited (code ${code}, signal ${signal}) before it was ready:\n${output.slice(-15).join('\n')}`)));
  });
  if (options.waitReady === false) {
    ready.catch(() => {});
    return service;
  }
  const timeoutMs = options.timeoutMs ?? 90_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([ready, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`${name} not ready within ${timeoutMs} ms:\n${output.slice(-15).join('\n')}`)), timeoutMs); })]);
  } catch (error) {
    proc.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return service;
}
