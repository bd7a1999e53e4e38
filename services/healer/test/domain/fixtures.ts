import { createBuiltinStrategies, resolveHealerConfig } from '../../src/domain/index';
import type { Anomaly, HealerConfig, HealerSettings, HealingContext, Intervention, PolicyHook } from '../../src/domain/index';

/** Shared builders for the healer domain tests. Not a test file: vitest only runs `*.test.ts`. */
export const NOW = 1_700_000_000_000;

export function anomaly(overrides: Partial<Anomaly> = {}): Anomaly {
  return {
    anomalyId: 'an-1',
    assetId: 'svc-a',
    metric: 'latency_ms',
    kind: 'spike',
    severity: 0.5,
    evidence: { zScore: 6, baselineMean: 100, baselineStd: 10 },
    detectedAtMs: NOW - 1_000,
    ...overrides,
  };
}

export function context(history: readonly Intervention[] = []): HealingContext {
  return { asset: { assetId: 'svc-a', region: 'eu-west-1', provider: 'aws', labels: { team: 'core' } }, history };
}

export function config(settings: Partial<HealerSettings> = {}, policies: readonly PolicyHook[] = []): HealerConfig {
  return resolveHealerConfig({
    settings: { mode: 'live', ...settings },
    strategies: createBuiltinStrategies({ runbook: { url: 'https://runbooks.example/hooks/heal' } }),
    policies,
  });
}
