/**
 * A simulated service, one second at a time: replicas of a fixed capacity serve the demand; a new
 * replica serves nothing for `startupS` but is billed from the moment it is asked for; a removed
 * replica stops being billed at once (the ones still starting are removed first, they serve
 * nothing yet). Demand above the serving capacity is lost, not queued: "unserved".
 *
 * Every `tickS` the policy sees what a monitoring system would report about that tick — mean
 * utilisation of the serving replicas, throughput, replicas running and serving — and its answer is
 * applied at once: the recommendation applied every sample.
 */

/** What a policy is told at the end of each tick. */
export interface Observation {
  /** Epoch ms of the end of the tick. */
  readonly atMs: number;
  /** Seconds since the start of the trace at the end of the tick. */
  readonly second: number;
  readonly tickS: number;
  /** Served work over the serving capacity during the tick, in [0, 1]. */
  readonly saturation: number;
  readonly servedRps: number;
  /** Replicas running (serving or starting) and serving, at the end of the tick. */
  readonly replicas: number;
  readonly readyReplicas: number;
}

/** A scaling policy: a starting count, then a count after every tick. */
export interface Policy {
  readonly name: string;
  readonly initialReplicas: number;
  decide(o: Observation): number;
}

export interface SimulationOptions {
  readonly tickS: number;
  readonly startupS: number;
  /** Requests per second one serving replica handles. */
  readonly capacityRps: number;
  readonly startMs: number;
}

/** The outcome of one policy on one trace. */
export interface SimulationResult {
  readonly policy: string;
  /** Share of all demand that found no serving capacity, in [0, 1]. */
  readonly unservedShare: number;
  /** Ticks in which at least one second's demand exceeded the serving capacity. */
  readonly ticksOverloaded: number;
  readonly ticks: number;
  /** Replica-hours billed: serving and starting replicas alike. */
  readonly replicaHours: number;
  /** Times the replica count changed. */
  readonly changes: number;
  readonly maxReplicas: number;
}

/** Runs `policy` over `demand` (requests per second, one value per second). */
export function simulate(demand: Float64Array, policy: Policy, opts: SimulationOptions): SimulationResult {
  const { tickS, startupS, capacityRps } = opts;
  let ready = Math.max(1, policy.initialReplicas);
  // Ready-at seconds of the replicas still starting, oldest first.
  let starting: number[] = [];
  let total = 0;
  let unserved = 0;
  let billedReplicaSeconds = 0;
  let ticks = 0;
  let ticksOverloaded = 0;
  let changes = 0;
  let maxReplicas = ready;
  let servedInTick = 0;
  let capacityInTick = 0;
  let overloadedInTick = false;

  for (let s = 0; s < demand.length; s++) {
    while (starting.length > 0 && starting[0]! <= s) {
      starting.shift();
      ready++;
    }
    const d = demand[s]!;
    const capacity = ready * capacityRps;
    const served = Math.min(d, capacity);
    total += d;
    if (d > capacity + 1e-9) {
      unserved += d - capacity;
      overloadedInTick = true;
    }
    billedReplicaSeconds += ready + starting.length;
    servedInTick += served;
    capacityInTick += capacity;

    if ((s + 1) % tickS !== 0) continue;
    ticks++;
    if (overloadedInTick) ticksOverloaded++;
    const running = ready + starting.length;
    const target = Math.max(1, Math.round(policy.decide({
      atMs: opts.startMs + (s + 1) * 1000, second: s + 1, tickS,
      saturation: capacityInTick > 0 ? Math.min(1, servedInTick / capacityInTick) : 1,
      servedRps: servedInTick / tickS, replicas: running, readyReplicas: ready,
    })));
    if (target !== running) {
      changes++;
      if (target > running) {
        for (let k = running; k < target; k++) starting.push(s + 1 + startupS);
      } else {
        // Remove the replicas furthest from serving first: the newest starting ones, then serving ones.
        const drop = running - target;
        const fromStarting = Math.min(drop, starting.length);
        starting = starting.slice(0, starting.length - fromStarting);
        ready -= drop - fromStarting;
      }
    }
    maxReplicas = Math.max(maxReplicas, ready + starting.length);
    servedInTick = 0;
    capacityInTick = 0;
    overloadedInTick = false;
  }
  return {
    policy: policy.name, unservedShare: total > 0 ? unserved / total : 0, ticksOverloaded, ticks,
    replicaHours: billedReplicaSeconds / 3600, changes, maxReplicas,
  };
}
