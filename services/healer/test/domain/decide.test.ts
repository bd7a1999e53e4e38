import { describe, expect, it } from 'vitest';
import { decide } from '../../src/domain/index';
import type { AnomalyKind, DecideResult, Intervention } from '../../src/domain/index';
import { NOW, anomaly, config, context } from './fixtures';

const chosen = (result: DecideResult): string => (result.kind === 'needs_slot' ? result.draft.strategy : result.decision.outcome);

describe('decide: strategy choice', () => {
  it.each<{ kind: AnomalyKind; severity: number; expected: string }>([
    { kind: 'spike', severity: 0.29, expected: 'no_strategy' },
    { kind: 'spike', severity: 0.3, expected: 'throttle' },
    { kind: 'spike', severity: 0.79, expected: 'throttle' },
    { kind: 'spike', severity: 0.8, expected: 'failover' },
    { kind: 'drop', severity: 0.5, expected: 'restart' },
    { kind: 'drift', severity: 0.5, expected: 'rebalance' },
    { kind: 'oscillation', severity: 0.95, expected: 'throttle' },
  ])('$kind at $severity → $expected', ({ kind, severity, expected }) => {
    expect(chosen(decide(anomaly({ kind, severity }), context(), config(), NOW))).toBe(expected);
  });

  it('skips a rung whose strategy does not apply and says so', () => {
    // Drop ladder: restart → failover → runbook; failover needs severity ≥ 0.6.
    const ladders = { ...config().settings.ladders, drop: [{ minSeverity: 0.3, steps: ['throttle', 'failover', 'runbook'] }] };
    const result = decide(anomaly({ kind: 'drop', severity: 0.5 }), context(), config({ ladders }), NOW);
    expect(chosen(result)).toBe('runbook');
    expect(result.kind === 'needs_slot' && result.draft.step).toBe(2);
    expect(result.kind === 'needs_slot' && result.draft.reasons.filter((r) => r.includes('does not apply'))).toHaveLength(2);
  });

  it.each<{ name: string; past: Partial<Intervention>; expected: string }>([
    { name: 'failed recently on the same metric', past: {}, expected: 'rebalance' },
    { name: 'failed on another metric', past: { metric: 'cpu' }, expected: 'throttle' },
    { name: 'failed outside the window', past: { startedAtMs: NOW - 3_600_001 }, expected: 'throttle' },
    { name: 'recovered', past: { result: 'recovered' }, expected: 'throttle' },
    { name: 'failed for this same anomaly (escalation, not history)', past: { anomalyId: 'an-1' }, expected: 'throttle' },
  ])('history: throttle $name → $expected', ({ past, expected }) => {
    const history: Intervention[] = [
      { dedupeKey: 'old#0', anomalyId: 'old', strategy: 'throttle', metric: 'latency_ms', startedAtMs: NOW - 600_000, result: 'failed', ...past },
    ];
    expect(chosen(decide(anomaly(), context(history), config(), NOW))).toBe(expected);
  });

  it('says why nothing was done below every band', () => {
    const result = decide(anomaly({ severity: 0.1 }), context(), config(), NOW);
    expect(result.kind === 'final' && result.decision).toMatchObject({ outcome: 'no_strategy', step: null, strategy: null, dedupeKey: 'an-1#0' });
    expect(result.kind === 'final' && result.decision.reasons.join()).toMatch(/below 0.3/);
  });
});

describe('decide: claim and dedupe', () => {
  it('asks for cooldown, global and regional caps, with a slot that outlives the recovery window', () => {
    const result = decide(anomaly(), context(), config(), NOW);
    expect(result.kind === 'needs_slot' && result.claim).toEqual({
      dedupeKey: 'an-1#0',
      assetId: 'svc-a',
      mode: 'live',
      dedupeTtlMs: 604_800_000,
      cooldownMs: 300_000,
      enforceCooldown: true,
      caps: [{ scope: 'global', limit: 20 }, { scope: 'region:eu-west-1', limit: 5 }],
      slotTtlMs: 60_000 + 60_000,
      supersedes: null,
    });
  });

  it('has no regional cap for an asset without a region', () => {
    const ctx = { ...context(), asset: { assetId: 'svc-a', labels: {} } };
    const result = decide(anomaly(), ctx, config(), NOW);
    expect(result.kind === 'needs_slot' && result.claim.caps.map((cap) => cap.scope)).toEqual(['global']);
  });

  it('is deterministic: a redelivered anomaly yields the same key and draft', () => {
    const first = decide(anomaly(), context(), config(), NOW);
    const redelivered = decide(anomaly(), context(), config(), NOW + 5_000);
    expect(first.kind === 'needs_slot' && first.claim.dedupeKey).toBe('an-1#0');
    expect(redelivered.kind === 'needs_slot' && redelivered.claim.dedupeKey).toBe('an-1#0');
    expect({ ...first, draft: undefined }).toEqual({ ...redelivered, draft: undefined });
  });

  it('keys different anomalies apart', () => {
    const a = decide(anomaly({ anomalyId: 'x' }), context(), config(), NOW);
    const b = decide(anomaly({ anomalyId: 'y' }), context(), config(), NOW);
    expect(a.kind === 'needs_slot' && a.claim.dedupeKey).not.toBe(b.kind === 'needs_slot' && b.claim.dedupeKey);
  });

  it('produces a JSON-serialisable draft (it becomes the audit record)', () => {
    const result = decide(anomaly(), context(), config(), NOW);
    expect(result.kind).toBe('needs_slot');
    if (result.kind !== 'needs_slot') return;
    expect(JSON.parse(JSON.stringify(result.draft))).toEqual(result.draft);
  });
});
