import { describe, expect, it } from 'vitest';
import { spawnService, stopStrays } from '../support/services';

const idle = { name: 'idle-fixture', script: 'test/fixtures/idle-process.ts' };

describe('processes a test file leaves running', () => {
  it('are stopped by stopStrays, politely first, and one the file stopped itself is not among them', async () => {
    const kept = await spawnService(idle, {});
    const stoppedByTheFile = await spawnService(idle, {});
    await stoppedByTheFile.stop();

    expect(await stopStrays()).toEqual([idle.script]);
    expect(await kept.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await stopStrays()).toEqual([]);
  });

  it('are killed when they outlast the grace period', async () => {
    const stubborn = await spawnService(idle, { FIXTURE_IGNORE_SIGTERM: '1' });
    expect(await stopStrays(1_000)).toEqual([idle.script]);
    expect(await stubborn.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
