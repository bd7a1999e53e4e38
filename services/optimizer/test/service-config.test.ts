import { ConfigError, loadConfig } from '@maestro/runtime';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIMIZER_CONFIG } from '../src/domain';
import { optimizerConfigSpec, toOptimizerConfig } from '../src/service-config';

const resolve = (env: Record<string, string>) => toOptimizerConfig(loadConfig(optimizerConfigSpec, env));

function refusal(env: Record<string, string>): ConfigError {
  try {
    resolve(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`no refusal for ${JSON.stringify(env)}`);
}

describe('the optimiser service configuration', () => {
  it('resolves to the core defaults when nothing is set', () => {
    expect(resolve({})).toEqual(DEFAULT_OPTIMIZER_CONFIG);
  });

  it('carries every scaling setting the replay was tuned with to the core', () => {
    const c = resolve({
      OPTIMIZER_SCALE_DOWN_FORECAST_MS: '0', OPTIMIZER_SCALE_DOWN_NOISE_DEVIATIONS: '2.5', OPTIMIZER_SATURATED_AT: '0.95',
      OPTIMIZER_SATURATED_GROWTH: '2', OPTIMIZER_SCALE_UP_MAX_PERCENT: '0.5', OPTIMIZER_SCALE_UP_MAX_PODS: '8',
    });
    expect(c).toMatchObject({ scaleDownForecastMs: 0, scaleDownNoiseDeviations: 2.5, saturatedAt: 0.95, saturatedGrowth: 2, scaleUpMaxPercent: 0.5, scaleUpMaxPods: 8 });
  });

  it('refuses an unusable value under the variable that carries it', () => {
    expect(refusal({ OPTIMIZER_SATURATED_GROWTH: '0.5' }).variable).toBe('OPTIMIZER_SATURATED_GROWTH');
    expect(refusal({ OPTIMIZER_SCALE_DOWN_NOISE_DEVIATIONS: '-1' }).variable).toBe('OPTIMIZER_SCALE_DOWN_NOISE_DEVIATIONS');
  });

  it("names the variable of a cross-field rule the core's validation refuses", () => {
    expect(refusal({ OPTIMIZER_TARGET_SATURATION: '0.8', OPTIMIZER_PEAK_SATURATION: '0.7' }).variable).toBe('OPTIMIZER_PEAK_SATURATION');
    expect(refusal({ OPTIMIZER_MIN_REPLICAS: '5', OPTIMIZER_MAX_REPLICAS: '3' }).variable).toBe('OPTIMIZER_MIN_REPLICAS');
  });
});
