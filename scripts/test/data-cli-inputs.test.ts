/**
 * The benchmark commands that read a folder of data (`npm run nab`, `stg`, `plan-grid`): a path that
 * is not a folder is refused with the path and exit 2. Each used to end in an uncaught ENOENT and a
 * stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const run = (script: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, encoding: 'utf8' });

describe('data commands given a path that is not a folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-data-cli-'));
  const missing = join(dir, 'missing');
  const file = join(dir, 'a-file.csv');
  writeFileSync(file, 'timestamp,value\n');

  it.each([
    ['nab', 'services/detector/src/nab-cli.ts', [missing, join(dir, 'out')], `${missing}: not a directory (the NAB data: a folder of CSV series)`],
    ['stg', 'services/planner/src/stg-cli.ts', [missing], `${missing}: not a directory (a folder of .stg task graphs)`],
    ['stg, a file for the folder', 'services/planner/src/stg-cli.ts', [file], `${file}: not a directory (a folder of .stg task graphs)`],
    ['stg, a missing --optimum', 'services/planner/src/stg-cli.ts', [dir, '--optimum', missing], `--optimum ${missing}: no such file`],
    ['plan-grid', 'scripts/plan-grid.ts', [missing], `${missing}: not a directory (a folder of .stg task graphs; --no-stg runs without one)`],
  ])('%s: exit 2 and the reason, no stack trace', (_name, script, args, message) => {
    const result = run(script, ...args);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(message);
  });
});
