/** A plugin runner type inside the executor's own runner table: settings checked at boot, runs contained. */
import { describe, expect, it } from 'vitest';
import { definePlugin, defineRunner } from '@maestro/plugin-sdk';
import { createContainment, runnerTypes } from '@maestro/plugin-sdk/host';
import { buildRunners, loadRunnerTable } from '../src/runner-config';
import { pluginRunnerType } from '../src/runners/plugin-runner';
import { builtinRunnerTypes } from '../src/service';

const plugin = definePlugin({
  name: 'acme',
  version: '1.0.0',
  runners: [
    defineRunner({
      type: 'ticket',
      configure: (s) => {
        if (typeof s.queue !== 'string') throw new Error('queue must be a string');
        return { queue: s.queue };
      },
      run: async (request, { settings, runnerName }) => ({ status: 'succeeded', detail: `ticket for ${request.assetId} in ${settings.queue} by ${runnerName}`, output: 'x'.repeat(5_000) }),
    }),
    { type: 'stuck', timeoutMs: 30, run: () => new Promise<never>(() => undefined) },
    { type: 'throws', run: async () => { throw new Error('API token expired'); } },
  ],
});

const types = [...builtinRunnerTypes, ...runnerTypes([plugin], createContainment({ timeoutMs: 5_000, onFailure: () => undefined })).map(pluginRunnerType)];
const deps = { webhookSecret: '', outputMaxBytes: 256, now: Date.now };
const request = { actionId: 'an-1#0', anomalyId: 'an-1', assetId: 'db-1', strategy: 'restart', attempt: 1, decidedAtMs: 0, reasons: [], params: {}, tenant: null };
const runnerFor = (json: object) => buildRunners(loadRunnerTable({ inline: JSON.stringify(json), file: '' }, types), types, deps);

describe('plugin runner types', () => {
  it('refuses bad settings at boot, naming the entry and the plugin', () => {
    expect(() => runnerFor({ runners: { t: { type: 'ticket', queue: 7 } }, strategies: { '*': 't' } }))
      .toThrow('EXECUTOR_RUNNERS: $.runners.t: plugin acme refused the settings of its runner type ticket: queue must be a string');
  });

  it('runs with the settings it checked, output bounded, the plugin named', async () => {
    const runner = runnerFor({ runners: { t: { type: 'ticket', queue: 'ops' } }, strategies: { '*': 't' } })('restart')!;
    const outcome = await runner.run(request, new AbortController().signal);
    expect(outcome).toMatchObject({ status: 'succeeded', detail: 'plugin acme: ticket for db-1 in ops by t' });
    expect(Buffer.byteLength(outcome.output)).toBeLessThanOrEqual(300);
  });

  it.each([
    ['hangs', 'stuck', 'timeout', 'plugin acme failed: runner stuck run did not answer within 30 ms'],
    ['throws', 'throws', 'runner_error', 'plugin acme failed: runner throws run threw: API token expired'],
  ])('a run that %s is a failed result, not a crash', async (_, type, errorCode, error) => {
    const runner = runnerFor({ runners: { r: { type } }, strategies: { '*': 'r' } })('restart')!;
    expect(await runner.run(request, new AbortController().signal)).toEqual({ status: 'failed', attempts: 1, output: '', errorCode, error });
  });
});
