import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { integer, oneOf, optionalText, defineService, text } from '@maestro/runtime';
import { pluginConfigSpec, startPlugins } from '@maestro/plugin-sdk/host';
import { createBuiltinStrategies, createChangeFreezePolicy, DEFAULT_LADDERS, resolveHealerConfig } from './domain';
import { createAnomalyHandler } from './anomaly-handler';
import type { DecisionDeps } from './decisions';
import { createHealerStore } from './healer-store';
import { createResultHandler, createSampleHandler, sweepOverdue } from './recovery';
import { createSlots } from './slots';

export const definition = defineService({
  name: 'healer',
  defaultPort: 9106,
  config: {
    mode: oneOf('HEALER_MODE', 'live publishes actions for the executor; dry_run decides, audits and tracks what it would do, publishes nothing, and is never held back by cooldowns or caps of actions that never ran', ['live', 'dry_run'], { default: 'dry_run' }),
    cooldownMs: integer('HEALER_COOLDOWN_MS', 'Quiet time per asset after an intervention starts', { default: 300_000, min: 1 }),
    maxInFlight: integer('HEALER_MAX_IN_FLIGHT', 'Interventions in progress at once, fleet-wide', { default: 20, min: 1 }),
    maxInFlightPerRegion: integer('HEALER_MAX_IN_FLIGHT_PER_REGION', 'Interventions in progress at once in one region', { default: 5, min: 1 }),
    recoveryWindowMs: integer('HEALER_RECOVERY_WINDOW_MS', 'Time an action has to show recovery before the next strategy is tried; 0 keeps each strategy\'s own', { default: 0, min: 0 }),
    runbookUrl: text('HEALER_RUNBOOK_URL', 'Webhook the runbook strategy calls', { default: 'http://127.0.0.1:9999/runbooks' }),
    freezeLabel: optionalText('HEALER_FREEZE_LABEL', 'Assets with this label set to true are never touched (a change freeze); empty disables the policy', /^[\w./-]+$/),
    sweepIntervalMs: integer('HEALER_SWEEP_INTERVAL_MS', 'How often overdue recoveries are looked for', { default: 2_000, min: 100 }),
    ...pluginConfigSpec,
  },
  topics: [topics.anomalies, topics.telemetrySamples, topics.healingResults, topics.healingActions],
  async setup(ctx) {
    const c = ctx.config;
    // Plugin strategies join the built-ins (and the ladders they ask for); plugin hooks run after the healer's own.
    const plugins = (await startPlugins(ctx)).healer();
    // One recovery window for every strategy when set (operators and tests); else each strategy's own.
    const common = c.recoveryWindowMs > 0 ? { withinMs: c.recoveryWindowMs } : {};
    const config = resolveHealerConfig({
      settings: { mode: c.mode, cooldownMs: c.cooldownMs, maxInFlightGlobal: c.maxInFlight, maxInFlightPerRegion: c.maxInFlightPerRegion, ladders: plugins.ladders(DEFAULT_LADDERS) },
      strategies: [...createBuiltinStrategies({ runbook: { url: c.runbookUrl }, common }), ...plugins.strategies],
      policies: [...(c.freezeLabel ? [createChangeFreezePolicy(c.freezeLabel)] : []), ...plugins.policyHooks],
    });
    const store = createHealerStore(ctx.redis, ctx.keys);
    const deps: DecisionDeps & { config: typeof config } = {
      config, store, slots: createSlots(ctx.redis, ctx.keys), now: ctx.now,
      publish: (actions, audits) => ctx.producer.sendMany([{ spec: topics.healingActions, records: actions }, { spec: topics.audit, records: audits.map(ctx.audit) }]),
    };
    ctx.consumer([subscription(topics.anomalies, createAnomalyHandler(deps))]);
    ctx.consumer([
      subscription(topics.telemetrySamples, createSampleHandler(deps)),
      subscription(topics.healingResults, createResultHandler({ ...deps, audit: (entries) => ctx.producer.send(topics.audit, entries.map(ctx.audit)) })),
    ], { groupSuffix: 'recovery', partitionsConsumedConcurrently: 3 });

    const lease = ctx.keys.global('healer', 'sweep-lease');
    const timer = setInterval(() => {
      sweepOverdue({
        ...deps, graceMs: c.sweepIntervalMs,
        tryLease: async () => (await ctx.redis.set(lease, c.replicaId, 'PX', c.sweepIntervalMs, 'NX')) === 'OK',
      }).catch((err: unknown) => ctx.logger.error({ err }, 'recovery sweep failed; next one retries'));
    }, c.sweepIntervalMs);
    ctx.lifecycle.onStop('recovery sweep', () => clearInterval(timer));
  },
});
