import { describe, expect, it } from 'vitest';
import { RunnerConfigError, resolveRunnerTable, runnerNameFor, type SpecParser } from '../../src/domain';
import { commandRunnerType } from '../../src/runners/command-runner';
import { webhookRunnerType } from '../../src/runners/webhook-runner';

const resolve = (raw: unknown) => resolveRunnerTable(raw, [webhookRunnerType, commandRunnerType] as SpecParser[]);

describe('runner table', () => {
  const table = resolve({
    runners: {
      notify: { type: 'webhook', retries: 1 },
      restart: { type: 'command', command: '/usr/local/bin/restart', args: ['--asset', '{assetId}', '--why={params.reason}'], timeoutMs: 5000 },
    },
    strategies: { restart: 'restart', '*': 'notify' },
  });

  it('maps a strategy to its own runner, and any other to the catch-all', () => {
    expect(runnerNameFor(table, 'restart')).toBe('restart');
    expect(runnerNameFor(table, 'runbook')).toBe('notify');
    expect(runnerNameFor(resolve({}), 'runbook')).toBeUndefined();
  });

  it('fills settings with their defaults', () => {
    expect(table.runners.get('restart')).toMatchObject({ type: 'command', spec: { timeoutMs: 5000, killGraceMs: 2000, idempotent: false, env: {} } });
    expect(table.runners.get('notify')).toMatchObject({ type: 'webhook', spec: { retries: 1, timeoutMs: 10_000, backoffMs: 500 } });
  });

  it.each([
    ['not an object', [], '$'],
    ['an unknown top-level key', { runner: {} }, '$.runner'],
    ['an unknown type', { runners: { k8s: { type: 'kubernetes' } } }, '$.runners.k8s.type'],
    ['a strategy naming no runner', { runners: {}, strategies: { restart: 'restart' } }, '$.strategies.restart'],
    ['a command without a program', { runners: { r: { type: 'command' } } }, '$.runners.r.command'],
    ['a misspelt setting', { runners: { r: { type: 'command', command: 'x', timeout: 5 } } }, '$.runners.r.timeout'],
    ['a negative timeout', { runners: { r: { type: 'webhook', timeoutMs: -1 } } }, '$.runners.r.timeoutMs'],
    ['an unknown placeholder', { runners: { r: { type: 'command', command: 'x', args: ['{asset}'] } } }, '$.runners.r.args[0]'],
    ['a webhook url that is not http', { runners: { r: { type: 'webhook', url: 'ftp://x' } } }, '$.runners.r.url'],
  ])('refuses %s, naming the path', (_, raw, path) => {
    let caught: unknown;
    try {
      resolve(raw);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message.startsWith(path)).toBe(true);
    if (caught instanceof RunnerConfigError) expect(caught.path).toBe(path);
  });
});
