/** Runs `npm run -s maestro -- <argv>` as a user would, with the environment given (the test's prefix, home, gateway). */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');

export function runMaestro(env: NodeJS.ProcessEnv, argv: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('npm', ['run', '-s', 'maestro', '--', ...argv], { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
