/**
 * Where plugin failures go: a counter for every one (`maestro_plugin_failures_total`), and a
 * `plugin.failure` audit record with the reason. The audit is rate-limited per plugin, extension
 * point and kind of failure: a broken router hook fails once per candidate, and ten thousand
 * identical records would bury the one that matters. The decision the failure refused keeps its own
 * audit record with the reason either way.
 */
import { Counter, type Registry } from 'prom-client';
import type { AuditEntry } from '@maestro/runtime';
import type { PluginFailure } from './containment';

export interface FailureRecorderOptions {
  readonly metrics: Registry;
  /** Sends audit records; a rejection is logged, never thrown at the caller. */
  audit(entries: AuditEntry[]): Promise<void>;
  readonly logger: { warn(fields: object, message: string): void };
  now(): number;
  /** At most one audit record per plugin, point and kind in this window; the next one counts those left out. @default 60_000 */
  readonly auditEveryMs?: number;
}

export interface FailureRecorder {
  record(failure: PluginFailure): void;
}

const METRIC = 'maestro_plugin_failures_total';

export function createFailureRecorder(options: FailureRecorderOptions): FailureRecorder {
  const everyMs = options.auditEveryMs ?? 60_000;
  // One counter per registry: tests and replicas in one process may start several hosts.
  const counter = (options.metrics.getSingleMetric(METRIC) as Counter<'plugin' | 'point' | 'kind'> | undefined)
    ?? new Counter({ name: METRIC, help: 'Plugin calls that threw, timed out, ran over their budget or answered wrongly', labelNames: ['plugin', 'point', 'kind'], registers: [options.metrics] });
  const windows = new Map<string, { lastAtMs: number; leftOut: number }>();

  return {
    record(failure) {
      counter.inc({ plugin: failure.plugin, point: failure.point, kind: failure.kind });
      const key = `${failure.plugin}\u0000${failure.point}\u0000${failure.kind}`;
      const nowMs = options.now();
      const window = windows.get(key);
      if (window !== undefined && nowMs - window.lastAtMs < everyMs) {
        window.leftOut++;
        return;
      }
      const leftOut = window?.leftOut ?? 0;
      windows.set(key, { lastAtMs: nowMs, leftOut: 0 });
      options.logger.warn({ plugin: failure.plugin, point: failure.point, kind: failure.kind, reason: failure.reason }, 'plugin call failed; its decision is refused');
      const reasons = [failure.reason, ...(leftOut > 0 ? [`${leftOut} more failure(s) of this kind since the last record`] : [])];
      options.audit([{ kind: 'plugin.failure', outcome: failure.kind, subjectId: failure.plugin, reasons, details: { plugin: failure.plugin, point: failure.point, kind: failure.kind, leftOut } }])
        .catch((err: unknown) => options.logger.warn({ err, plugin: failure.plugin }, 'could not write the audit record of a plugin failure'));
    },
  };
}
