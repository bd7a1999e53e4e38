/** Builders for router tests: a healthy, cheap, capable asset and a permissive job, overridable. */
import type { AssetCandidate, JobRequest, PerformanceView } from '../../src/domain';

export const NOW_MS = 1_700_000_000_000;

export function asset(assetId: string, over: Partial<Omit<AssetCandidate, 'performance'>> & { perf?: Partial<PerformanceView> } = {}): AssetCandidate {
  const { perf, ...rest } = over;
  return {
    assetId, provider: 'aws', region: 'eu-west-1', capabilities: ['gpu', 'spark'], complianceTags: ['gdpr'], status: 'active',
    ...rest,
    performance: { latencyP95Ms: 50, errorRate: 0, unitCost: 0.5, saturation: 0.5, anomalyActive: false, anomalySeverity: 0, ...perf },
  };
}

export function job(over: Partial<JobRequest> = {}): JobRequest {
  return {
    jobId: 'job-1', jobClass: 'batch', requiredCapabilities: ['gpu'], complianceTags: ['gdpr'], allowedRegions: [],
    costCeilingPerUnit: 1, latencyObjectiveMs: 100, priority: 'normal', ...over,
  };
}
