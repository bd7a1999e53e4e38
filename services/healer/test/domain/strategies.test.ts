import { describe, expect, it } from 'vitest';
import { createBuiltinStrategies, createRunbookStrategy, recoveryTarget } from '../../src/domain/index';
import type { AnomalyKind } from '../../src/domain/index';
import { NOW, anomaly, context } from './fixtures';

const byName = new Map(createBuiltinStrategies({ runbook: { url: 'https://runbooks.example/hooks/heal' } }).map((s) => [s.name, s]));

describe('built-in strategies', () => {
  it.each<{ strategy: string; kind: AnomalyKind; severity: number; applies: boolean }>([
    { strategy: 'failover', kind: 'spike', severity: 0.59, applies: false },
    { strategy: 'failover', kind: 'drop', severity: 0.6, applies: true },
    { strategy: 'throttle', kind: 'spike', severity: 0.4, applies: true },
    { strategy: 'throttle', kind: 'oscillation', severity: 0.4, applies: true },
    { strategy: 'throttle', kind: 'drop', severity: 0.9, applies: false },
    { strategy: 'restart', kind: 'drift', severity: 0.9, applies: false },
    { strategy: 'restart', kind: 'spike', severity: 0.1, applies: true },
    { strategy: 'rebalance', kind: 'drift', severity: 0.1, applies: true },
    { strategy: 'runbook', kind: 'oscillation', severity: 0, applies: true },
  ])('$strategy applies to $kind at $severity: $applies', ({ strategy, kind, severity, applies }) => {
    expect(byName.get(strategy)?.appliesTo(kind, severity)).toBe(applies);
  });

  it('runbook plans a webhook call carrying the anomaly and asset', () => {
    const spec = byName.get('runbook')?.plan({ anomaly: anomaly(), ...context(), nowMs: NOW });
    expect(spec?.params).toEqual({
      webhook: {
        url: 'https://runbooks.example/hooks/heal',
        method: 'POST',
        payload: {
          anomalyId: 'an-1',
          assetId: 'svc-a',
          metric: 'latency_ms',
          kind: 'spike',
          severity: 0.5,
          detectedAtMs: NOW - 1_000,
          evidence: { zScore: 6, baselineMean: 100, baselineStd: 10 },
          region: 'eu-west-1',
          provider: 'aws',
          labels: { team: 'core' },
        },
      },
    });
    expect(spec?.expectedRecovery.withinMs).toBe(600_000);
  });

  it.each(['ftp://x.example/', 'not a url'])('runbook refuses the url %s at construction', (url) => {
    expect(() => createRunbookStrategy({ url })).toThrow();
  });

  it.each([
    { severity: 0, throttle: 0.1, shift: 0.2 },
    { severity: 0.5, throttle: 0.3, shift: 0.45 },
    { severity: 1, throttle: 0.5, shift: 0.7 },
  ])('scales throttle and rebalance with severity $severity', ({ severity, throttle, shift }) => {
    const ctx = { anomaly: anomaly({ severity }), ...context(), nowMs: NOW };
    expect(byName.get('throttle')?.plan(ctx).params.reduceByRatio).toBe(throttle);
    expect(byName.get('rebalance')?.plan(ctx).params.shiftRatio).toBe(shift);
  });
});

describe('recoveryTarget', () => {
  it.each([
    { kind: 'spike' as const, zScore: 6, op: 'at_most', threshold: 120 },
    { kind: 'drop' as const, zScore: -5, op: 'at_least', threshold: 80 },
    { kind: 'drift' as const, zScore: -3, op: 'at_least', threshold: 80 },
  ])('$kind with z=$zScore → $op $threshold', ({ kind, zScore, op, threshold }) => {
    const target = recoveryTarget(anomaly({ kind, evidence: { zScore, baselineMean: 100, baselineStd: 10 } }), 1_000);
    expect(target).toEqual({ metric: 'latency_ms', withinMs: 1_000, condition: { op, threshold, sustainedSamples: 3 } });
  });
});
