import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@maestro/runtime';
import { compileRouterConfig, routerConfigSpec } from '../src/router-config';

const load = (env: Record<string, string>) => compileRouterConfig(loadConfig(routerConfigSpec, env));

describe('router configuration', () => {
  it('compiles weights per job class over a default, normalised', () => {
    const config = load({ ROUTER_WEIGHTS: '{"default":{"cost":1,"latency":1,"reliability":1,"saturation":1},"batch":{"cost":2}}' });
    expect(config.weightsFor('anything')).toEqual({ cost: 0.25, latency: 0.25, reliability: 0.25, saturation: 0.25 });
    // The override merges over the normalised default (0.25 each): 2 / (2 + 0.75).
    expect(config.weightsFor('batch').cost).toBeCloseTo(2 / 2.75, 12);
  });

  it.each([
    ['not json', /ROUTER_WEIGHTS: is not JSON/],
    ['[1]', /ROUTER_WEIGHTS: must be a JSON object/],
    ['{"batch":3}', /job class "batch" must be an object/],
    ['{"batch":{"speed":1}}', /unknown criterion "speed"/],
    ['{"batch":{"cost":-1}}', /ROUTER_WEIGHTS: weights for job class "batch": cost must be a finite number >= 0/],
    ['{"default":{"cost":0,"latency":0,"reliability":0,"saturation":0}}', /ROUTER_WEIGHTS: .*at least one criterion/],
  ])('stops the boot on ROUTER_WEIGHTS=%s with the variable named', (raw, message) => {
    let error: unknown;
    try {
      load({ ROUTER_WEIGHTS: raw });
    } catch (err: unknown) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it('names a bad severity bound by its variable', () => {
    expect(() => load({ ROUTER_MAX_ANOMALY_SEVERITY: '2' })).toThrow(/ROUTER_MAX_ANOMALY_SEVERITY: 2 is above the maximum 1/);
  });
});
