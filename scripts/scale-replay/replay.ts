/** One trace through every policy under the same simulated service. */
import type { OptimizerConfig } from '../../services/optimizer/src/domain';
import { hpaPolicy, optimizerPolicy, oraclePolicy, staticPolicy } from './policies';
import { simulate, type SimulationResult } from './simulate';
import type { TimestampGaps, Trace } from './trace';

export interface ReplayOptions {
  readonly tickS: number;
  readonly startupS: number;
  /** Requests per second per replica; default {@link defaultCapacity}. */
  readonly capacityRps?: number;
}

export interface ReplayReport {
  readonly trace: string;
  readonly seconds: number;
  readonly tickS: number;
  readonly startupS: number;
  readonly capacityRps: number;
  readonly meanDemandReplicas: number;
  /** The source's timestamps against its step, when it had timestamps (trace.ts `TimestampGaps`). */
  readonly gaps?: TimestampGaps;
  readonly results: readonly SimulationResult[];
}

/**
 * A capacity at which the trace's 99th-percentile second needs `replicasAtP99` replicas (20 by
 * default: enough replicas that rounding up one is not most of the bill, few enough to stay far from
 * any replica limit).
 */
export function defaultCapacity(demand: Float64Array, replicasAtP99 = 20): number {
  const sorted = Float64Array.from(demand).sort();
  const p99 = sorted[Math.floor(0.99 * (sorted.length - 1))]!;
  return Number((Math.max(p99, 1e-6) / replicasAtP99).toPrecision(3));
}

/** Replays the trace through the optimiser, the HPA rule, static-at-peak and the oracle. */
export function replay(trace: Trace, opts: ReplayOptions, config: OptimizerConfig): ReplayReport {
  const capacityRps = opts.capacityRps ?? defaultCapacity(trace.demand);
  // Every policy starts with what the first second needs at the HPA target: the same fair start.
  const initial = Math.max(1, Math.ceil((trace.demand[0] ?? 0) / (capacityRps * config.targetSaturation)));
  const sim = { tickS: opts.tickS, startupS: opts.startupS, capacityRps, startMs: trace.startMs };
  const policies = [
    optimizerPolicy(config, initial),
    hpaPolicy({ targetUtilisation: 0.6, tolerance: 0.1, scaleDownStabilisationS: 300, minReplicas: config.minReplicas, maxReplicas: config.maxReplicas }, initial),
    staticPolicy(trace.demand, capacityRps),
    oraclePolicy(trace.demand, capacityRps, opts.startupS, opts.tickS),
  ];
  let sum = 0;
  for (const d of trace.demand) sum += d;
  return {
    trace: trace.name, seconds: trace.demand.length, tickS: opts.tickS, startupS: opts.startupS, capacityRps,
    meanDemandReplicas: sum / trace.demand.length / capacityRps,
    ...(trace.gaps === undefined ? {} : { gaps: trace.gaps }),
    results: policies.map((p) => simulate(trace.demand, p, sim)),
  };
}
