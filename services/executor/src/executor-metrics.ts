import { Counter, Histogram, type Registry } from 'prom-client';
import type { HealingResult } from '@maestro/contracts';
import type { AuditEntry } from '@maestro/runtime';

/** The executor's own figures on /metrics, beside the bus's. */
export interface ExecutorMetrics {
  /** Counts what is about to be published: results by runner and status, refusals by reason. */
  record(results: readonly HealingResult[], audits: readonly AuditEntry[]): void;
}

export function createExecutorMetrics(registry: Registry): ExecutorMetrics {
  const actions = new Counter({ name: 'maestro_executor_actions_total', help: 'Actions reported, by runner and status (succeeded, failed, unknown)', labelNames: ['runner', 'status'], registers: [registry] });
  const refusals = new Counter({ name: 'maestro_executor_refusals_total', help: 'Actions refused (dry_run, duplicate) or not reported (lease_lost)', labelNames: ['outcome'], registers: [registry] });
  const runSeconds = new Histogram({
    name: 'maestro_executor_run_seconds', help: 'Wall time of a run, every try and backoff included', labelNames: ['runner'], registers: [registry],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
  });
  return {
    record(results, audits) {
      for (const r of results) {
        actions.inc({ runner: r.runner || 'none', status: r.status });
        runSeconds.observe({ runner: r.runner || 'none' }, r.durationMs / 1000);
      }
      for (const a of audits) if (a.kind === 'executor.refusal' || a.outcome === 'lease_lost') refusals.inc({ outcome: a.outcome });
    },
  };
}
