/**
 * Turns the measurements of a sample into a kind of anomaly and a severity. Classification is
 * separate from scoring: the score says *whether* something is wrong, this says *what*, so the
 * healer can choose a remedy (restart on a spike, scale on a drift, damp on flapping).
 */
import type { DriftReading } from './drift';
import type { Features } from './features';
import { isFlapping } from './flapping';
import type { AnomalyKind } from './verdict';

/** The kind a sample would be reported as, and how large its deviation is in stddevs. */
export interface Classification {
  readonly kind: AnomalyKind;
  /** Size of the deviation behind `kind`, in baseline standard deviations. */
  readonly magnitude: number;
  /** Which way the series moved: 1 up, -1 down, 0 neither (flapping goes both ways). */
  readonly direction: number;
}

// Severity saturates smoothly: 3 stddevs is about 0.4, 6 about 0.63, 12 about 0.86.
const SEVERITY_SCALE_STD = 6;

/**
 * Chooses the kind that best explains the sample. Regime kinds come first: a flapping window or a
 * drift alarm explains its own large samples better than "a spike" does, and naming the regime is
 * what lets it through the refractory period of a spike that was its first sample. `drift` is null
 * during warm-up.
 */
export function classify(f: Features, drift: DriftReading | null): Classification {
  if (isFlapping(f.flapping)) {
    // Half the typical large step is the amplitude of the flapping.
    return { kind: 'oscillation', magnitude: f.flapping.meanLargeStep / 2 / f.baselineStd, direction: 0 };
  }
  if (drift && (drift.alarm || isPartOfMove(f, drift))) return { kind: 'drift', magnitude: Math.abs(drift.shiftZ), direction: Math.sign(drift.shiftZ) };
  // A sample that leaves the *recent* level is a point event; when the recent level itself has
  // left where it should be, it is drift (the first sample of a step change is reported as a
  // spike, the following ones as drift once the level has moved). Where it should be is what is
  // usual at this hour, not the flat baseline: at the trough of a daily cycle the level is far
  // below the baseline mean, and a fall to zero there would otherwise be called a drift.
  if (Math.abs(f.departureZ) >= Math.abs(f.expectedShiftZ)) {
    return { kind: f.departureZ >= 0 ? 'spike' : 'drop', magnitude: Math.abs(f.departureZ), direction: f.departureZ >= 0 ? 1 : -1 };
  }
  return { kind: 'drift', magnitude: Math.abs(f.expectedShiftZ), direction: Math.sign(f.expectedShiftZ) };
}

// A sample is part of a move in progress when the drift test is at least this far to an alarm.
const MOVE_IN_PROGRESS = 0.5;

/**
 * Whether a deviating sample is better explained as the leading edge of a move the drift test is
 * already tracking (a steep ramp's newest sample) than as a point event: same direction, and no
 * further from the recent level than the level itself has moved.
 */
function isPartOfMove(f: Features, drift: DriftReading): boolean {
  return drift.progress >= MOVE_IN_PROGRESS && Math.sign(f.departureZ) === Math.sign(drift.shiftZ) &&
    Math.abs(f.departureZ) * f.baselineStd <= Math.abs(drift.shiftZ) * drift.refStd;
}

/** Severity in [0, 1] from a magnitude in stddevs. */
export function severityOf(magnitude: number): number {
  if (!(magnitude > 0)) return 0;
  return 1 - Math.exp(-magnitude / SEVERITY_SCALE_STD);
}
