/**
 * `npm start` as a user runs it: a service that dies is started again, and a signal sent to the npm
 * process alone (not its process group) stops every service. Regression: the runner used to stop
 * every service when one died, and SIGINT to npm stopped nothing (npm's shell swallowed it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';

const root = resolve(import.meta.dirname, '../..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function healthz(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

describe('npm start supervision', () => {
  let npm: ChildProcess | undefined;
  const output: string[] = [];
  const pids = new Set<number>();

  afterAll(() => {
    // Whatever the test left behind, by pid only: never by name, other runs share this machine.
    if (npm?.pid && alive(npm.pid)) npm.kill('SIGKILL');
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('restarts a service that died, and stops everything on SIGINT sent to the npm process only', async () => {
    const prefix = uniquePrefix('supervision');
    npm = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env: {
        ...process.env, ...stackEnv, MAESTRO_SERVICES: 'ingest,optimizer', INGEST_HTTP_PORT: '0', OPTIMIZER_HTTP_PORT: '0',
        MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: `${prefix}r:`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal would give it; the test then signals the npm pid alone.
      detached: true,
    });
    npm.stdout!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n')));
    npm.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n')));
    const text = () => output.join('\n');

    await eventually(() => text().includes('Maestro is up'), 120_000, `"Maestro is up" in:\n${text()}`);
    const ingestUrl = /ingest\s+(http:\/\/\S+)/.exec(text())?.[1];
    expect(ingestUrl).toBeDefined();
    expect(await healthz(ingestUrl!)).toBe(true);
    const pid = descendants(npm.pid!).find((p) => commandOf(p).includes('services/ingest/'));
    expect(pid).toBeDefined();
    pids.add(pid!);

    process.kill(pid!, 'SIGKILL');
    await eventually(() => /\[ingest\] exited \(code null, signal SIGKILL\); restarting in/.test(text()), 10_000, 'the death announced');
    await eventually(() => text().includes('[ingest] restarted'), 15_000, 'the restart announced');
    await eventually(() => /\[ingest\] ready again at (http:\/\/\S+)/.exec(text())?.[1], 90_000, 'ingest ready again');
    const again = /\[ingest\] ready again at (http:\/\/\S+)/.exec(text())![1]!;
    expect(await healthz(again)).toBe(true);

    const services = descendants(npm.pid!).filter((p) => commandOf(p).includes('/services/'));
    expect(services.length).toBe(2);
    for (const p of services) pids.add(p);
    process.kill(npm.pid!, 'SIGINT');
    await eventually(() => services.every((p) => !alive(p)), 30_000, 'every service stopped');
    await eventually(() => npm!.exitCode !== null || npm!.signalCode !== null, 10_000, 'npm exited');
    expect(text()).toContain('all services stopped.');
  });
});

/** Direct children of a process (Linux /proc). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  for (const child of childPids(pid)) out.push(child, ...descendants(child));
  return out;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
