/** A request to run one job somewhere, and the checks that make it routable at all. */

/** Scheduling priority. Carried into policy hooks and the decision record; it does not change scoring. */
export const JOB_PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;

/** Scheduling priority of a job. */
export type JobPriority = (typeof JOB_PRIORITIES)[number];

/** What a job needs from the asset that runs it. */
export interface JobRequest {
  readonly jobId: string;
  /** Selects the scoring weights; unknown classes use the default weights. */
  readonly jobClass: string;
  /** Every one of these must be offered by the asset. */
  readonly requiredCapabilities: readonly string[];
  /** Every one of these compliance tags must be held by the asset. */
  readonly complianceTags: readonly string[];
  /** Sovereignty: regions the job may run in. Empty means any region. */
  readonly allowedRegions: readonly string[];
  /** Highest acceptable unit cost; assets above it are rejected, and cost is scored against it. */
  readonly costCeilingPerUnit: number;
  /** Latency objective (p95) in milliseconds; latency is scored against it. */
  readonly latencyObjectiveMs: number;
  readonly priority: JobPriority;
}

/**
 * Returns why a request cannot be routed at all, or an empty list. A request with a non-positive
 * ceiling or objective would make the stable normalisation in `score.ts` divide by zero, so it is
 * refused up front instead of producing NaN scores.
 */
export function validateJob(job: JobRequest): string[] {
  const errors: string[] = [];
  if (job.jobId.length === 0) errors.push('jobId is empty');
  if (!(Number.isFinite(job.costCeilingPerUnit) && job.costCeilingPerUnit > 0)) {
    errors.push(`costCeilingPerUnit must be a positive finite number, got ${job.costCeilingPerUnit}`);
  }
  if (!(Number.isFinite(job.latencyObjectiveMs) && job.latencyObjectiveMs > 0)) {
    errors.push(`latencyObjectiveMs must be a positive finite number, got ${job.latencyObjectiveMs}`);
  }
  if (!(JOB_PRIORITIES as readonly string[]).includes(job.priority)) errors.push(`unknown priority ${String(job.priority)}`);
  return errors;
}
