/** The chaos benchmark's plan of faults and its accounting of what was acknowledged and applied. */

export type Fault =
  | { readonly name: string; readonly kind: 'kill'; readonly target: string }
  | { readonly name: string; readonly kind: 'pause-broker' | 'restart-broker' | 'restart-redis' };

/** Every service SIGKILLed in turn, then the broker paused, the broker restarted, Redis restarted. */
export function faultPlan(services: readonly string[]): Fault[] {
  return [
    ...services.map((target): Fault => ({ name: `kill ${target}`, kind: 'kill', target })),
    { name: 'pause broker 10 s', kind: 'pause-broker' },
    { name: 'restart broker', kind: 'restart-broker' },
    { name: 'restart redis', kind: 'restart-redis' },
  ];
}

/** What the clients were told succeeded, by item, with the phase it was sent in. */
export interface Ledger {
  /** `asset@timestampMs` of every acknowledged signal. */
  readonly telemetry: Map<string, string>;
  /** `charter/goal` of every acknowledged refinement. */
  readonly goals: Map<string, string>;
  /** Calls not acknowledged (a refusal, or no answer within the retry bound), by `telemetry|phase` or `protocol|phase`. */
  readonly refused: Map<string, number>;
}

export interface Counts {
  acked: number;
  applied: number;
  lost: number;
  doubled: number;
  /** Calls not acknowledged: a telemetry batch counts once, whatever its size. */
  refused: number;
}

export interface PhaseRow {
  readonly phase: string;
  readonly telemetry: Counts;
  readonly protocol: Counts;
  /** Milliseconds until every service was ready again; null when not within the bound; undefined for the steady phase. */
  readonly readyAfterMs: number | null | undefined;
}

/**
 * Per phase: acknowledged items, how many were applied, lost (acknowledged, never applied) and
 * doubled (applied more than once: a sample seen twice, a goal refined into a second version).
 * `appliedTelemetry` counts occurrences per item; `appliedGoals` holds each goal's latest version.
 */
export function tally(ledger: Ledger, appliedTelemetry: ReadonlyMap<string, number>, appliedGoals: ReadonlyMap<string, number>, recovery: ReadonlyMap<string, number | null>): PhaseRow[] {
  const rows = new Map<string, PhaseRow>();
  const rowOf = (phase: string) => {
    let row = rows.get(phase);
    if (!row) {
      row = { phase, telemetry: { acked: 0, applied: 0, lost: 0, doubled: 0, refused: 0 }, protocol: { acked: 0, applied: 0, lost: 0, doubled: 0, refused: 0 }, readyAfterMs: phase === 'steady' ? undefined : recovery.get(phase) };
      rows.set(phase, row);
    }
    return row;
  };
  for (const phase of ['steady', ...recovery.keys()]) rowOf(phase);
  const count = (into: Counts, times: number) => {
    into.acked++;
    if (times === 0) into.lost++;
    else into.applied++;
    if (times > 1) into.doubled++;
  };
  for (const [item, phase] of ledger.telemetry) count(rowOf(phase).telemetry, appliedTelemetry.get(item) ?? 0);
  for (const [item, phase] of ledger.goals) count(rowOf(phase).protocol, appliedGoals.get(item) ?? 0);
  for (const [key, n] of ledger.refused) {
    const [load, phase] = key.split('|') as ['telemetry' | 'protocol', string];
    rowOf(phase)[load].refused += n;
  }
  const total: PhaseRow = { phase: 'total', telemetry: { acked: 0, applied: 0, lost: 0, doubled: 0, refused: 0 }, protocol: { acked: 0, applied: 0, lost: 0, doubled: 0, refused: 0 }, readyAfterMs: undefined };
  for (const row of rows.values()) {
    for (const k of ['acked', 'applied', 'lost', 'doubled', 'refused'] as const) {
      total.telemetry[k] += row.telemetry[k];
      total.protocol[k] += row.protocol[k];
    }
  }
  return [...rows.values(), total];
}
