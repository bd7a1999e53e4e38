import { describe, expect, it } from 'vitest';
import { DEFAULT_LADDERS, createBuiltinStrategies, createRestartStrategy, resolveHealerConfig } from '../../src/domain/index';
import type { HealerSettings, PolicyHook } from '../../src/domain/index';

const strategies = createBuiltinStrategies({ runbook: { url: 'https://runbooks.example/x' } });

describe('resolveHealerConfig', () => {
  it('defaults to dry-run and the default ladders', () => {
    const config = resolveHealerConfig({ strategies });
    expect(config.settings.mode).toBe('dry_run');
    expect(config.settings.ladders).toBe(DEFAULT_LADDERS);
    expect(Object.isFrozen(config.settings)).toBe(true);
  });

  it.each<{ name: string; settings: Partial<HealerSettings>; error: RegExp }>([
    { name: 'zero cooldown', settings: { cooldownMs: 0 }, error: /cooldownMs/ },
    { name: 'fractional cap', settings: { maxInFlightGlobal: 1.5 }, error: /maxInFlightGlobal/ },
    { name: 'unknown mode', settings: { mode: 'yolo' as HealerSettings['mode'] }, error: /mode/ },
    { name: 'unregistered strategy', settings: { ladders: { ...DEFAULT_LADDERS, drop: [{ minSeverity: 0.3, steps: ['reboot'] }] } }, error: /ladders.drop\[0\] names unregistered strategy "reboot"/ },
    { name: 'bands out of order', settings: { ladders: { ...DEFAULT_LADDERS, drop: [{ minSeverity: 0.5, steps: ['restart'] }, { minSeverity: 0.4, steps: ['runbook'] }] } }, error: /ladders.drop\[1\].minSeverity/ },
    { name: 'severity above 1', settings: { ladders: { ...DEFAULT_LADDERS, drift: [{ minSeverity: 1.2, steps: ['runbook'] }] } }, error: /ladders.drift\[0\].minSeverity/ },
    { name: 'empty band', settings: { ladders: { ...DEFAULT_LADDERS, spike: [{ minSeverity: 0.3, steps: [] }] } }, error: /ladders.spike\[0\].steps is empty/ },
  ])('refuses $name', ({ settings, error }) => {
    expect(() => resolveHealerConfig({ settings, strategies })).toThrow(error);
  });

  it('refuses a strategy registered twice and duplicate hook names', () => {
    expect(() => resolveHealerConfig({ strategies: [...strategies, createRestartStrategy()] })).toThrow(/restart is registered twice/);
    const hook: PolicyHook = { name: 'same', evaluate: () => ({ verdict: 'allow' }) };
    expect(() => resolveHealerConfig({ strategies, policies: [hook, hook] })).toThrow(/unique/);
  });
});
