/**
 * A reference policy's frontier: the replay outcomes it reaches as one of its settings moves (the
 * HPA rule's target utilisation), and where another policy's outcome sits against them.
 *
 * The bar compares two single points, the optimiser's and the HPA rule's at a target of
 * 0.6. A row can fail it by spending less and losing a little more: a different point, not
 * necessarily a worse rule. The frontier asks the question both points answer at once: at the
 * replica-hours the optimiser bills, how much would the HPA rule lose if its target were set to
 * bill as many, and how many hours would it need to lose no more than the optimiser.
 *
 * Between two measured settings the frontier is the straight line: running one setting for a share
 * of the time and the other for the rest bills and loses (about) that mix of the two, so the line
 * is reachable by the reference, and the grid's step keeps the chord close to the curve.
 */

/**
 * The settings `from,to,step` names, both ends included (the command-line form of a grid).
 * @throws RangeError naming what is wrong
 */
export function settingGrid(spec: string): number[] {
  const parts = spec.split(',').map(Number);
  const [from, to, step] = parts;
  if (parts.length !== 3 || !(from! > 0 && to! <= 1 && from! < to! && step! > 0)) throw new RangeError(`expected from,to,step with 0 < from < to <= 1 and step > 0, got "${spec}"`);
  const grid: number[] = [];
  // Rounded so that 0.45 + 15 × 0.01 prints as 0.6, and the end is not lost to float error.
  for (let k = 0; from! + k * step! <= to! + 1e-9; k++) grid.push(Number((from! + k * step!).toFixed(6)));
  return grid;
}

/** One measured setting of the reference policy. */
export interface FrontierPoint {
  /** The setting that produced it (the HPA rule's target utilisation). */
  readonly setting: number;
  readonly replicaHours: number;
  readonly unservedShare: number;
  readonly changes: number;
}

/**
 * The points no other point beats (as many or fewer hours and as little or less lost, one of them
 * strictly), by replica-hours ascending, so lost demand descends along it. Duplicates keep one.
 */
export function paretoFront(points: readonly FrontierPoint[]): FrontierPoint[] {
  const byHours = [...points].sort((a, b) => a.replicaHours - b.replicaHours || a.unservedShare - b.unservedShare);
  const front: FrontierPoint[] = [];
  for (const p of byHours) {
    const best = front[front.length - 1];
    if (best === undefined || p.unservedShare < best.unservedShare) front.push(p);
  }
  return front;
}

/** The point a `share` of the way from `a` to `b` on the frontier, every field interpolated (the setting too). */
function between(a: FrontierPoint, b: FrontierPoint, share: number): FrontierPoint {
  const mix = (x: number, y: number) => x + (y - x) * share;
  return {
    setting: mix(a.setting, b.setting), replicaHours: mix(a.replicaHours, b.replicaHours),
    unservedShare: mix(a.unservedShare, b.unservedShare), changes: mix(a.changes, b.changes),
  };
}

/**
 * The frontier at `hours` replica-hours: the least demand the reference loses billing as many. Past
 * a setting that loses nothing, more hours buy nothing, so the reading is that setting. Null
 * elsewhere outside the measured span (a wider grid of settings is needed to say).
 */
export function atHours(front: readonly FrontierPoint[], hours: number): FrontierPoint | null {
  const last = front[front.length - 1];
  if (last !== undefined && last.unservedShare === 0 && hours >= last.replicaHours) return last;
  for (let i = 0; i < front.length; i++) {
    const b = front[i]!;
    if (hours === b.replicaHours) return b;
    const a = front[i - 1];
    if (a !== undefined && hours > a.replicaHours && hours < b.replicaHours) return between(a, b, (hours - a.replicaHours) / (b.replicaHours - a.replicaHours));
  }
  return null;
}

/**
 * The fewest replica-hours at which the frontier loses no more than `unservedShare`. Null when even
 * the most generous measured setting loses more; the frontier's cheapest point when it already
 * loses no more than that (the grid may hold cheaper settings that do too: the reading is an upper
 * bound on the reference's hours, and says so with `atEdge`).
 */
export function hoursFor(front: readonly FrontierPoint[], unservedShare: number): (FrontierPoint & { atEdge: boolean }) | null {
  const first = front[0];
  if (first === undefined) return null;
  if (first.unservedShare <= unservedShare) return { ...first, atEdge: true };
  for (let i = 1; i < front.length; i++) {
    const a = front[i - 1]!;
    const b = front[i]!;
    if (b.unservedShare <= unservedShare) return { ...between(a, b, (a.unservedShare - unservedShare) / (a.unservedShare - b.unservedShare)), atEdge: false };
  }
  return null;
}
