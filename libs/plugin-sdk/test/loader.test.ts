import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@maestro/runtime';
import { loadPlugins, moduleUrlOf, parsePluginList } from '../src/host/index';

const cwd = dirname(fileURLToPath(import.meta.url));
// Generous for modules that load (a busy machine can take seconds to compile one), short for the one that never does.
const load = (...specifiers: string[]) => loadPlugins({ specifiers, cwd, loadTimeoutMs: 30_000 });

describe('parsePluginList', () => {
  it.each([
    ['', []],
    [' ./a.js , pkg-b,,', ['./a.js', 'pkg-b']],
    ['@scope/plugin', ['@scope/plugin']],
  ])('%j → %j', (raw, expected) => expect(parsePluginList(raw)).toEqual(expected));
});

describe('moduleUrlOf', () => {
  it('imports paths by file URL from the working directory, and package names as they are', () => {
    expect(moduleUrlOf('./p.js', '/srv/maestro')).toBe('file:///srv/maestro/p.js');
    expect(moduleUrlOf('/opt/p.mjs', '/srv/maestro')).toBe('file:///opt/p.mjs');
    expect(moduleUrlOf('@acme/maestro-plugin', '/srv/maestro')).toBe('@acme/maestro-plugin');
  });
});

describe('loadPlugins', () => {
  it('loads a valid plugin module', async () => {
    const [plugin] = await load('./fixtures/valid-plugin.ts');
    expect(plugin).toMatchObject({ specifier: './fixtures/valid-plugin.ts', definition: { name: 'valid', version: '1.0.0' } });
  });

  it('refuses a module that throws at import, naming MAESTRO_PLUGINS and the module', async () => {
    const error = await load('./fixtures/throwing-plugin.ts').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('MAESTRO_PLUGINS');
    expect((error as Error).message).toMatch(/plugin module \.\/fixtures\/throwing-plugin\.ts cannot be loaded: cannot reach the policy server at import/);
  });

  it('refuses a module that never finishes loading, after the load deadline', async () => {
    const started = Date.now();
    await expect(loadPlugins({ specifiers: ['./fixtures/hanging-plugin.ts'], cwd, loadTimeoutMs: 500 })).rejects.toThrow(/hanging-plugin\.ts cannot be loaded: did not finish loading within 500 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a malformed plugin with every problem, naming the plugin', async () => {
    const error = (await load('./fixtures/bad-shape-plugin.ts').catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('plugin module ./fixtures/bad-shape-plugin.ts (plugin "bad-shape") is not a valid plugin');
    expect(error.message).toContain('policyHooks.healer[0].evaluate must be a function');
    expect(error.message).toContain('runners[0].type "command" is a built-in runner type');
    expect(error.message).toContain('strategy is not known');
  });

  it('refuses a missing module and two plugins of one name, reporting both at once', async () => {
    const error = (await load('./fixtures/nowhere.ts', './fixtures/valid-plugin.ts', './fixtures/same-name-plugin.ts').catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/plugin module \.\/fixtures\/nowhere\.ts cannot be loaded/);
    expect(error.message).toContain('same-name-plugin.ts (plugin "valid") has the same name as ./fixtures/valid-plugin.ts');
  });

  it('loads nothing from an empty list', async () => {
    expect(await load()).toEqual([]);
  });
});
