/** One trace through every policy under the same simulated service. */
import type { OptimizerConfig } from '../../services/optimizer/src/domain';
import { atHours, hoursFor, paretoFront, type FrontierPoint } from './frontier';
import { hpaAtTarget, hpaPolicy, optimizerPolicy, oraclePolicy, staticPolicy } from './policies';
import { simulate, type Policy, type SimulationOptions, type SimulationResult } from './simulate';
import type { TimestampGaps, Trace } from './trace';

export interface ReplayOptions {
  readonly tickS: number;
  readonly startupS: number;
  /** Requests per second per replica; default {@link defaultCapacity}. */
  readonly capacityRps?: number;
  /** Target utilisations to run the HPA rule at, for the optimiser's place against its frontier (frontier.ts); none by default. */
  readonly hpaTargets?: readonly number[];
}

/** The optimiser against the HPA rule's frontier over the targets run. */
export interface FrontierReport {
  readonly fromTarget: number;
  readonly toTarget: number;
  /** The HPA rule with its target set to bill the optimiser's replica-hours; null outside the frontier measured. */
  readonly atOptimiserHours: FrontierPoint | null;
  /** The fewest replica-hours at which the HPA rule loses no more than the optimiser; null when no target run does. */
  readonly toLoseNoMore: (FrontierPoint & { readonly atEdge: boolean }) | null;
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
  readonly frontier?: FrontierReport;
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

/** The HPA rule's frontier on `demand`: the rule (as `policyAt` builds it) run at each target, then its Pareto front. */
export function hpaFront(demand: Float64Array, targets: readonly number[], policyAt: (target: number) => Policy, sim: SimulationOptions): FrontierPoint[] {
  return paretoFront(targets.map((t) => {
    const r = simulate(demand, policyAt(t), sim);
    return { setting: t, replicaHours: r.replicaHours, unservedShare: r.unservedShare, changes: r.changes };
  }));
}

/**
 * Replays the trace through the optimiser, the HPA rule, static-at-peak and the oracle; with
 * `hpaTargets`, also the HPA rule at each of those targets, to place the optimiser against its frontier.
 */
export function replay(trace: Trace, opts: ReplayOptions, config: OptimizerConfig): ReplayReport {
  const capacityRps = opts.capacityRps ?? defaultCapacity(trace.demand);
  // Every policy starts with what the first second needs at the HPA target: the same fair start.
  const initial = Math.max(1, Math.ceil((trace.demand[0] ?? 0) / (capacityRps * config.targetSaturation)));
  const sim = { tickS: opts.tickS, startupS: opts.startupS, capacityRps, startMs: trace.startMs };
  const hpaAt = (target: number) => hpaAtTarget(target, config.minReplicas, config.maxReplicas);
  const policies = [
    optimizerPolicy(config, initial),
    hpaPolicy(hpaAt(0.6), initial),
    staticPolicy(trace.demand, capacityRps),
    oraclePolicy(trace.demand, capacityRps, opts.startupS, opts.tickS),
  ];
  let sum = 0;
  for (const d of trace.demand) sum += d;
  const results = policies.map((p) => simulate(trace.demand, p, sim));
  const targets = opts.hpaTargets ?? [];
  let frontier: FrontierReport | undefined;
  if (targets.length > 0) {
    const front = hpaFront(trace.demand, targets, (t) => hpaPolicy(hpaAt(t), initial), sim);
    const optimiser = results[0]!;
    frontier = {
      fromTarget: Math.min(...targets), toTarget: Math.max(...targets),
      atOptimiserHours: atHours(front, optimiser.replicaHours), toLoseNoMore: hoursFor(front, optimiser.unservedShare),
    };
  }
  return {
    trace: trace.name, seconds: trace.demand.length, tickS: opts.tickS, startupS: opts.startupS, capacityRps,
    meanDemandReplicas: sum / trace.demand.length / capacityRps,
    ...(trace.gaps === undefined ? {} : { gaps: trace.gaps }),
    results,
    ...(frontier === undefined ? {} : { frontier }),
  };
}
