import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { topics, type HealingAction } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { uniquePrefix } from '../support/environment';
import type { SpawnedService } from '../support/services';

/** The executor as its own process, the way `npm start` runs it. */
export const executorEntry = { script: 'services/executor/src/main.ts', name: 'executor' } as const;

/** A live healing action as the healer publishes it. */
export function healingAction(actionId: string, assetId: string, strategy: string, params: Record<string, string> = {}): HealingAction {
  return {
    actionId, anomalyId: actionId.split('#')[0]!, assetId, strategy, params, dryRun: false, attempt: 1, decidedAtMs: Date.now(),
    reasons: [`test: ${strategy} for ${assetId}`], tenant: null,
  };
}

export interface ExecutorRig {
  readonly prefix: string;
  /** A scratch directory for the runners' files. */
  readonly dir: string;
  /** Set once the file's beforeAll has run. */
  readonly bus: TestBus;
  /** Executors the tests spawn: SIGTERMed after them. */
  readonly running: SpawnedService[];
}

/**
 * A test file's executor topics (under a fresh prefix) and scratch directory, and the executors it
 * spawns, all gone after its tests. Call at the top level of a test file.
 */
export function useExecutorRig(label: string): ExecutorRig {
  const prefix = uniquePrefix(label);
  const dir = mkdtempSync(join(tmpdir(), `maestro-${label}-`));
  const running: SpawnedService[] = [];
  let bus: TestBus | undefined;
  beforeAll(async () => {
    bus = await createTestBus(prefix, [topics.healingActions, topics.healingResults, topics.audit]);
  });
  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop('SIGTERM')));
    await bus?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { prefix, dir, running, get bus() { return bus!; } };
}

/** The lines a runner has appended to `file` so far. */
export const fileLines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
