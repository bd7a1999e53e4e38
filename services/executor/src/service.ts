/**
 * Executor: carries out the healer's actions from `healing.actions` with the runner configured for
 * each strategy (a signed webhook, a local command, or a plugin's), once per action id across
 * redelivery, rebalances and crashes, and publishes one `healing.results` record per action with an
 * `executor.execution` audit record in the same send. Refusals (dry-run actions, redeliveries) are
 * audited as `executor.refusal`. Replicas share the work by partition of `healing.actions`.
 *
 * Once-only, in short (docs/executor.md has the whole of it): the action id is claimed in Redis with
 * this replica as owner under a lease renewed while the runner runs; the result is stored under the
 * claim before it is published, and marked published after. A redelivered action finds the claim
 * and is a duplicate, or its stored result is published again; a claim whose owner died is taken
 * over when its lease lapses: idempotent runners run again (same Idempotency-Key), others report
 * `unknown` without running twice.
 */
import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { defineService, integer, optionalText, type ServiceDefinition, type ConfigSpec } from '@maestro/runtime';
import { pluginConfigSpec, startPlugins } from '@maestro/plugin-sdk/host';
import { createActionHandler } from './action-handler';
import { createClaims } from './claims';
import { createExecutorMetrics } from './executor-metrics';
import { buildRunners, loadRunnerTable, runnersOutlastingSession } from './runner-config';
import type { RunnerType } from './runner-type';
import { commandRunnerType } from './runners/command-runner';
import { pluginRunnerType } from './runners/plugin-runner';
import { webhookRunnerType } from './runners/webhook-runner';

/** The runner types every executor knows. */
export const builtinRunnerTypes: readonly RunnerType[] = [webhookRunnerType as RunnerType, commandRunnerType as RunnerType];

const executorConfigSpec = {
  runners: optionalText('EXECUTOR_RUNNERS', 'Runner configuration as JSON, {"runners":{"<name>":{"type":"command",...}},"strategies":{"<strategy> or *":"<name>"}} (docs/executor.md); empty: no runners, every action fails with no_runner'),
  runnersFile: optionalText('EXECUTOR_RUNNERS_FILE', 'Path of a JSON file with the runner configuration, instead of EXECUTOR_RUNNERS'),
  webhookSecret: optionalText('EXECUTOR_WEBHOOK_SECRET', 'HMAC-SHA256 key of the Maestro-Signature header on webhook calls; required when a webhook runner is configured'),
  leaseMs: integer('EXECUTOR_LEASE_MS', 'How long a claimed action stays with its executor without renewal: the longest a crashed executor delays the takeover', { default: 30_000, min: 1_000 }),
  claimTtlMs: integer('EXECUTOR_CLAIM_TTL_MS', 'How long an action id is remembered (at least healing.actions retention, so a replay is a duplicate)', { default: 7 * 86_400_000, min: 60_000 }),
  maxActionAgeMs: integer('EXECUTOR_MAX_ACTION_AGE_MS', 'An action decided longer ago than this is reported failed (expired), never run: a first deployment reads healing.actions from the beginning', { default: 900_000, min: 1_000 }),
  outputMaxBytes: integer('EXECUTOR_OUTPUT_MAX_BYTES', 'Largest output excerpt in a result (head and tail kept)', { default: 4_096, min: 64, max: 262_144 }),
  concurrency: integer('EXECUTOR_CONCURRENCY', 'Assets whose actions run at once within one batch (one asset\'s actions always run in order)', { default: 4, min: 1, max: 64 }),
  ...pluginConfigSpec,
} satisfies ConfigSpec;

/** The executor with these runner types, plus those of MAESTRO_PLUGINS; `definition` is the stock one. */
export function defineExecutor(builtinTypes: readonly RunnerType[]): ServiceDefinition<typeof executorConfigSpec> {
  return defineService({
    name: 'executor',
    defaultPort: 9109,
    config: executorConfigSpec,
    topics: [topics.healingActions, topics.healingResults],
    async setup(ctx) {
      const c = ctx.config;
      const runnerTypes = [...builtinTypes, ...(await startPlugins(ctx)).runnerTypes().map(pluginRunnerType)];
      const table = loadRunnerTable({ inline: c.runners, file: c.runnersFile }, runnerTypes);
      const runnerFor = buildRunners(table, runnerTypes, { webhookSecret: c.webhookSecret, outputMaxBytes: c.outputMaxBytes, now: ctx.now });
      if (table.strategies.size === 0) ctx.logger.warn('no runners configured (EXECUTOR_RUNNERS): every action will fail with no_runner and escalate');
      ctx.logger.info({ strategies: Object.fromEntries(table.strategies) }, 'runners by strategy');
      for (const slow of runnersOutlastingSession(table, runnerTypes, c.kafkaSessionTimeoutMs)) {
        ctx.logger.warn({ ...slow, kafkaSessionTimeoutMs: c.kafkaSessionTimeoutMs }, 'a run of this runner can outlast the consumer session: raise KAFKA_SESSION_TIMEOUT_MS above it, or each such run costs a rebalance (never a second run)');
      }
      const metrics = createExecutorMetrics(ctx.metrics);
      const handler = createActionHandler({
        claims: createClaims(ctx.redis, ctx.keys, { owner: c.replicaId, leaseMs: c.leaseMs, ttlMs: c.claimTtlMs }),
        runnerFor, leaseMs: c.leaseMs, maxActionAgeMs: c.maxActionAgeMs, concurrency: c.concurrency, now: ctx.now,
        publish: async (results, audits) => {
          await ctx.producer.sendMany([{ spec: topics.healingResults, records: results }, { spec: topics.audit, records: audits.map(ctx.audit) }]);
          metrics.record(results.map((r) => r.value), audits);
        },
        onLeaseLost: (actionId) => ctx.logger.warn({ actionId }, 'lease lost while running: another executor took the action over; this one will not report it'),
      });
      ctx.consumer([subscription(topics.healingActions, handler)], { partitionsConsumedConcurrently: 3 });
    },
  });
}

export const definition = defineExecutor(builtinRunnerTypes);
