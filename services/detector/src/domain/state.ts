/**
 * The per-(asset, metric) detector state. It is stored in Redis between batches, so it is a small
 * plain object of numbers: JSON round-trips it exactly, and its size does not grow with the series.
 */
import type { Baseline } from './baseline';
import type { DriftState } from './drift';
import type { SurpriseStats } from './likelihood';
import type { Range } from './range';
import type { RecentWindow } from './recent-window';
import { initialSeasonalState } from './seasonal';
import type { SeasonalState } from './seasonal';
import type { AnomalyKind } from './verdict';

/** Bumped whenever the shape or meaning of the state changes; older states are discarded. */
export const DETECTOR_STATE_VERSION = 9;

/**
 * The series' open incident: what suppresses repeated alarms for one event, and the kinds that
 * event has shown so far (see `refractory.ts`).
 */
export interface Refractory {
  /** Samples left during which an alarm of `kind` is suppressed; 0 when no incident is open. */
  readonly remaining: number;
  /** The incident's current kind: the last one reported or joined. */
  readonly kind: AnomalyKind | null;
  /** Direction of the incident's move: 1 up, -1 down, 0 none (flapping) or no incident. */
  readonly direction: number;
  /** Every kind the incident has shown, in order, the reported one first. */
  readonly kinds: readonly AnomalyKind[];
  /** The level before the incident (the baseline when it opened) and the level it moved to. */
  readonly fromLevel: number;
  readonly toLevel: number;
  /** Samples since the period of a remembered move ran out (0 otherwise): bounds how long a drift the same way is that move lasting. */
  readonly quiet: number;
}

/** Everything the detector remembers about one series. */
export interface DetectorState {
  readonly version: typeof DETECTOR_STATE_VERSION;
  /** Samples seen so far (drives warm-up). */
  readonly samples: number;
  /** Slow adaptive baseline. */
  readonly baseline: Baseline;
  /** Fast mean: where the level is now, ahead of the baseline. */
  readonly levelMean: number;
  /**
   * Slow mean of |x[i] - x[i-1]| over the steps that are not large: the usual step size before any
   * flapping regime, against which flapping is measured.
   */
  readonly stepMean: number;
  /** Long-run mean of the reversal count in the recent window: how much this series usually flaps. */
  readonly reversalMean: number;
  readonly recent: RecentWindow;
  readonly surprise: SurpriseStats;
  readonly refractory: Refractory;
  readonly range: Range;
  /** The drift test (CUSUM against a slow reference level). */
  readonly drift: DriftState;
  /** Expected value per hour of the day, and the history of the residual from it. */
  readonly seasonal: SeasonalState;
}

/** The state of a series never seen before. */
export function initialState(): DetectorState {
  return {
    version: DETECTOR_STATE_VERSION,
    samples: 0,
    baseline: { mean: 0, variance: 0 },
    levelMean: 0,
    stepMean: 0,
    reversalMean: 0,
    recent: { timestampsMs: [], values: [] },
    surprise: { longMean: 0, longVariance: 0, recentMean: 0, judgedMean: 0 },
    refractory: { remaining: 0, kind: null, direction: 0, kinds: [], fromLevel: 0, toLevel: 0, quiet: 0 },
    range: { low: 0, high: 0, routineHigh: 0, routineLow: 0 },
    drift: { refMean: 0, refVariance: 0, up: 0, down: 0, upSinceMs: 0, downSinceMs: 0 },
    seasonal: initialSeasonalState(),
  };
}

/**
 * Accepts a state read back from storage: returns it if it is the current version, else a fresh
 * state (the series warms up again, which is safer than misreading an old layout).
 */
export function restoreState(stored: unknown): DetectorState {
  if (typeof stored === 'object' && stored !== null && (stored as { version?: unknown }).version === DETECTOR_STATE_VERSION) {
    return stored as DetectorState;
  }
  return initialState();
}
