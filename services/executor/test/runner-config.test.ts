import { describe, expect, it } from 'vitest';
import { ConfigError } from '@maestro/runtime';
import { buildRunners, loadRunnerTable, runnersOutlastingSession } from '../src/runner-config';
import { builtinRunnerTypes } from '../src/service';

const load = (inline: string, file = '') => loadRunnerTable({ inline, file }, builtinRunnerTypes);
const deps = { webhookSecret: 'k', outputMaxBytes: 1024, now: Date.now };

describe('runner configuration at boot', () => {
  it.each([
    ['inline text that is not JSON', () => load('{runners'), 'EXECUTOR_RUNNERS', /is not JSON/],
    ['both sources', () => load('{}', '/etc/runners.json'), 'EXECUTOR_RUNNERS', /not both/],
    ['a file that cannot be read', () => load('', '/nonexistent/runners.json'), 'EXECUTOR_RUNNERS_FILE', /cannot read/],
    ['a bad setting, with its JSON path', () => load('{"runners":{"r":{"type":"command"}}}'), 'EXECUTOR_RUNNERS', /\$\.runners\.r\.command: must be a non-empty string/],
  ])('stops on %s, naming the variable', (_, run, variable, message) => {
    let caught: unknown;
    try {
      run();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as Error).message).toMatch(message);
  });

  it('refuses a webhook runner without a secret to sign with', () => {
    const table = load('{"runners":{"hook":{"type":"webhook"}}}');
    expect(() => buildRunners(table, builtinRunnerTypes, { ...deps, webhookSecret: '' })).toThrow(/needs EXECUTOR_WEBHOOK_SECRET/);
    expect(buildRunners(table, builtinRunnerTypes, deps)('runbook')).toBeNull();
  });

  it('names the runners whose longest run outlasts the consumer session, retries and backoff included', () => {
    const table = load(JSON.stringify({ runners: {
      quick: { type: 'command', command: 'true', timeoutMs: 1_000, killGraceMs: 500 },
      slow: { type: 'command', command: 'true', timeoutMs: 60_000 },
      hook: { type: 'webhook', timeoutMs: 8_000, retries: 3, backoffMs: 1_000 },
    } }));
    // hook: 4 tries of 8 s and 1 + 2 + 4 s of backoff = 39 s.
    expect(runnersOutlastingSession(table, builtinRunnerTypes, 30_000)).toEqual([{ name: 'slow', longestRunMs: 62_000 }, { name: 'hook', longestRunMs: 39_000 }]);
  });
});
