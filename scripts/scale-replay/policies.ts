/**
 * The policies the replay compares: the optimiser (through the same telemetry path as the service),
 * and three references — the Kubernetes HPA rule, a static count sized for the peak, and an oracle
 * that sees one startup delay (plus one tick) ahead.
 */
import type { TelemetrySample } from '@maestro/contracts';
import type { OptimizerConfig, OptimizerState } from '../../services/optimizer/src/domain';
import { stepTelemetry } from '../../services/optimizer/src/telemetry-step';
import type { Observation, Policy } from './simulate';

/** Replicas that serve `rps` at full utilisation. The epsilon keeps 2.0000000001 from needing 3. */
function needed(rps: number, capacityRps: number): number {
  return Math.max(1, Math.ceil(rps / capacityRps - 1e-9));
}

/** What the replay's service reports for a tick, as the telemetry topic carries it. */
export function telemetryOf(o: Observation, assetId: string): TelemetrySample {
  return {
    assetId, timestampMs: o.atMs, ingestedAtMs: o.atMs, region: null, provider: null, tenant: null,
    metrics: { saturation: o.saturation, throughput_rps: o.servedRps },
    labels: { replicas: String(o.replicas), ready_replicas: String(o.readyReplicas) },
  };
}

/** The optimiser core, fed the tick's telemetry; its target count is applied whatever the action. */
export function optimizerPolicy(config: OptimizerConfig, initialReplicas: number): Policy {
  let state: OptimizerState | null = null;
  return {
    name: 'optimizer', initialReplicas,
    decide(o) {
      const folded = stepTelemetry(state, telemetryOf(o, 'replay'), config);
      if (folded.kind === 'invalid') throw new Error(folded.reason);
      if (folded.kind === 'skip') return o.replicas;
      state = folded.result.state;
      return folded.result.recommendation.targetReplicas;
    },
  };
}

/** Settings of the Kubernetes HPA rule as the issue states it (the Kubernetes defaults). */
export interface HpaSettings {
  readonly targetUtilisation: number;
  readonly tolerance: number;
  readonly scaleDownStabilisationS: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/** The HPA rule (tolerance 0.1, 5-minute scale-down stabilisation) at `targetUtilisation`, within the replica bounds. */
export function hpaAtTarget(targetUtilisation: number, minReplicas = 1, maxReplicas = 100): HpaSettings {
  return { targetUtilisation, tolerance: 0.1, scaleDownStabilisationS: 300, minReplicas, maxReplicas };
}

/**
 * The Kubernetes HPA rule: desired = ceil(serving replicas × utilisation / target), no change while
 * the ratio over all running replicas (starting ones counted idle, as Kubernetes counts unready
 * pods when scaling up) is within the tolerance; scale-down takes the max desired over the
 * stabilisation window; scale-up is immediate, at most the larger of ×2 and +4 per decision (the
 * default scale-up policy).
 */
export function hpaPolicy(s: HpaSettings, initialReplicas: number): Policy {
  const history: { second: number; desired: number }[] = [];
  return {
    name: 'hpa', initialReplicas,
    decide(o) {
      const busy = o.saturation * o.readyReplicas;
      const ratio = busy / (o.replicas * s.targetUtilisation);
      const desired = Math.abs(ratio - 1) <= s.tolerance ? o.replicas : Math.max(1, Math.ceil(busy / s.targetUtilisation - 1e-9));
      history.push({ second: o.second, desired });
      while (history.length > 0 && history[0]!.second <= o.second - s.scaleDownStabilisationS) history.shift();
      let next = desired;
      if (desired < o.replicas) next = Math.min(o.replicas, Math.max(...history.map((h) => h.desired)));
      else next = Math.min(desired, Math.max(2 * o.replicas, o.replicas + 4));
      return Math.min(s.maxReplicas, Math.max(s.minReplicas, next));
    },
  };
}

/** A fixed count that serves the trace's highest second at full utilisation. */
export function staticPolicy(demand: Float64Array, capacityRps: number): Policy {
  let peak = 0;
  for (const d of demand) peak = Math.max(peak, d);
  const replicas = needed(peak, capacityRps);
  return { name: 'static', initialReplicas: replicas, decide: () => replicas };
}

/**
 * An oracle with `startupS + tickS` of lookahead: at each tick, exactly the replicas the next
 * startup delay and tick need at full utilisation. Replicas it starts now serve from one startup
 * delay on, until the next tick's replicas can, so this is the least a policy that must start
 * replicas ahead can run with nothing unserved: the frontier.
 */
export function oraclePolicy(demand: Float64Array, capacityRps: number, startupS: number, tickS: number): Policy {
  const window = startupS + tickS;
  // ahead[s] = max need over [s, s + window), by a monotonic deque in one pass from the end.
  const ahead = new Int32Array(demand.length + 1);
  const deque: number[] = [];
  for (let s = demand.length - 1; s >= 0; s--) {
    const need = needed(demand[s]!, capacityRps);
    while (deque.length > 0 && needed(demand[deque[deque.length - 1]!]!, capacityRps) <= need) deque.pop();
    deque.push(s);
    while (deque[0]! >= s + window) deque.shift();
    ahead[s] = needed(demand[deque[0]!]!, capacityRps);
  }
  ahead[demand.length] = 1;
  return { name: 'oracle', initialReplicas: ahead[0]!, decide: (o) => ahead[Math.min(o.second, demand.length)]! };
}
