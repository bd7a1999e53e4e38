/**
 * Suppression of repeated alarms. Every anomaly triggers a healing action downstream, so one event
 * must fire once, not on every sample while it lasts.
 */
import type { ResolvedDetectorConfig } from './config';
import type { Refractory } from './state';
import type { AnomalyKind } from './verdict';

/** A score after suppression, and the incident to carry on. */
export interface Gated {
  readonly score: number;
  readonly refractory: Refractory;
  /**
   * A kind that joined the open incident on this sample instead of being reported (a step change's
   * drift after its spike); null otherwise. The score is then suppressed like any other repeat.
   */
  readonly joined: AnomalyKind | null;
  /** The kinds the open incident had shown before a report on this sample; empty for a new incident. */
  readonly relatedKinds: readonly AnomalyKind[];
  /** The series returned from the incident's move on this sample: not reported, the incident closed. */
  readonly recovered: boolean;
}

// Regime kinds describe a lasting change, and a point kind (spike, drop) is often its first
// sample. Letting a regime kind through once reports "the spike was the start of flapping" (a
// different remedy) instead of hiding it.
const REGIME_KINDS: ReadonlySet<AnomalyKind> = new Set(['drift', 'oscillation']);

// Keeps suppressed scores ordered among themselves (useful to a threshold sweep) yet always below
// the threshold.
const SUPPRESSED_SCALE = 0.9;

// A new extreme breaks through only when clearly worse: beyond the range (which already includes
// the event's own values) by a quarter of its width. Noise on a shifted level sets small new
// records for a few samples, and those are the same event.
const BREAKTHROUGH_EXCESS = 0.25;

/** No incident open. */
export const IDLE: Refractory = { remaining: 0, kind: null, direction: 0, kinds: [], fromLevel: 0, toLevel: 0, quiet: 0 };

/** What the detector judged one sample to be, as far as the refractory period is concerned. */
export interface Judged {
  readonly score: number;
  readonly kind: AnomalyKind;
  /** Direction of the deviation: 1 up, -1 down, 0 none (flapping). */
  readonly direction: number;
  /** How far outside the range visited so far, as a fraction of its width. */
  readonly rangeExcess: number;
  /** The series' fast level, including this sample. */
  readonly level: number;
  /** The slow baseline before this sample: where the series was before an incident it opens. */
  readonly baselineMean: number;
}

// A move back that ends within this fraction of the original move from the level the series had
// before it is the series returning, not a new event.
const RECOVERED_FRACTION = 0.5;

// A move is remembered for its recovery this many refractory periods after its own ran out (ten
// days at five-minute samples). Remembered for good, a move a young series only seemed to make
// (its first day's cycle, before the time-of-day profile is trusted) swallowed a real change a week
// later that happened to land near the old level, as that move's "recovery".
const RECOVERY_PERIODS = 10;

/**
 * Whether a drift is the series returning from the incident's move (the remedy worked, or the
 * cause went away): the incident moved the level (it was confirmed as a drift) within
 * {@link RECOVERY_PERIODS}, this drift goes the other way, and it lands near where the series was before.
 */
function isRecovery(r: Refractory, j: Judged, config: ResolvedDetectorConfig): boolean {
  return r.kind === 'drift' && r.quiet < RECOVERY_PERIODS * config.refractorySamples && j.kind === 'drift' && r.direction !== 0 && j.direction === -r.direction
    && Math.abs(j.level - r.fromLevel) <= RECOVERED_FRACTION * Math.abs(r.toLevel - r.fromLevel);
}

// A drift the same way as a remembered move is that move still going (a ramp that goes on after
// the alarm, a new level the seasonal profile has not learnt yet) unless it has gone on by more
// than this many times the move already reported from the level it had last reached: then the
// series has changed again.
const FURTHER_MOVE_FRACTION = 1;
// ... and only for this many refractory periods after the incident's own ran out: the slow stages
// that keep seeing a lasting move (the baseline, the time-of-day profile) have learnt most of it by
// then, so a drift the same way later is a new change, not the old one still being noticed.
const LASTING_PERIODS = 3;

/**
 * Whether a drift, after the incident's period ran out, is the incident's own lasting move: the
 * incident moved the level (a confirmed drift), this drift goes the same way, and it has not gone
 * on by a further move of the same size. A lasting drift is one anomaly; re-reporting it each time
 * the period runs out would plan a new action for an event the healer already has.
 */
function isLasting(r: Refractory, j: Judged, config: ResolvedDetectorConfig): boolean {
  const moved = Math.abs(r.toLevel - r.fromLevel);
  return r.remaining === 0 && r.kind === 'drift' && r.quiet < LASTING_PERIODS * config.refractorySamples && j.kind === 'drift' && r.direction !== 0 && j.direction === r.direction
    && moved > 0 && r.direction * (j.level - r.toLevel) <= FURTHER_MOVE_FRACTION * moved;
}

/**
 * Applies the refractory period of the series' open incident to a score. While it runs, scores are
 * scaled below the threshold, so that `score >= threshold` and "an anomaly is reported" remain the
 * same statement for the caller and for NAB.
 *
 * One incident, one anomaly: a drift moving the way the incident already moved is the same event
 * seen by a slower test (a step change is a spike on its first sample and a drift some fifteen
 * samples later, once the CUSUM has gathered its evidence), so it joins the incident (its kinds
 * grow, its period restarts from the confirmation) and is not reported again: a second action
 * would be planned for the same cause.
 *
 * Two things still break through: a value clearly beyond every extreme seen so far ("worse than
 * the alarm already raised": the healing is not working), except during flapping, and a change to
 * a regime kind that is not the incident's own move (flapping after a spike; a drift the other
 * way, such as the level falling back). What breaks through continues the incident: its kinds
 * accumulate and travel with the report. The incident closes when its period runs out; the next
 * alarm opens a new one.
 *
 * Recovery: an incident that moved the level (a confirmed drift) is remembered after its period,
 * with the level before and after the move, until the series returns: a drift back that lands near
 * the level from before is the end of the incident, not a new one, so it is not reported (the
 * healer's recovery check judges the remedy; an anomaly here would plan an action for a recovery),
 * and the way back gets a period of its own. While it is remembered, a drift the same way is the
 * move lasting (see `isLasting`): it joins the incident instead of opening a new one.
 */
export function applyRefractory(r: Refractory, judged: Judged, config: ResolvedDetectorConfig): Gated {
  const { score, kind, direction } = judged;
  const active = r.remaining > 0;
  if (score >= config.threshold && isRecovery(r, judged, config)) {
    // The way back is one move too: its own period keeps the rest of it (the drift test fires again
    // as the level settles) quiet, and a level it moved from and to alike can never be "recovered" again.
    const back: Refractory = {
      remaining: config.refractorySamples, kind: 'drift', direction, kinds: [], fromLevel: judged.level, toLevel: judged.level, quiet: 0,
    };
    return { score: score * SUPPRESSED_SCALE * config.threshold, refractory: back, joined: null, relatedKinds: [], recovered: true };
  }
  // A flapping regime swings past the range it had before by nature until that range has widened:
  // its new extremes are the same event, not a worse one.
  const worse = judged.rangeExcess >= BREAKTHROUGH_EXCESS && r.kind !== 'oscillation';
  const regimeChange = kind !== r.kind && REGIME_KINDS.has(kind);
  const sameMove = (active && regimeChange && kind === 'drift' && direction !== 0 && direction === r.direction)
    || isLasting(r, judged, config);
  const breaksThrough = worse || (regimeChange && !sameMove);
  const out = (active || sameMove) && !breaksThrough ? score * SUPPRESSED_SCALE * config.threshold : score;
  if (out >= config.threshold) {
    const relatedKinds = active ? r.kinds : [];
    const fromLevel = active ? r.fromLevel : judged.baselineMean;
    return { score: out, refractory: opened(relatedKinds, fromLevel, judged, config), joined: null, relatedKinds, recovered: false };
  }
  if (sameMove && score >= config.threshold) {
    return { score: out, refractory: opened(r.kinds, r.fromLevel, judged, config), joined: kind, relatedKinds: [], recovered: false };
  }
  // A move that goes on during its own period (a ramp) has moved as far as it got: remembered so,
  // its lasting drift and its recovery are measured from there.
  const further = active && r.kind === 'drift' && kind === 'drift' && direction === r.direction && score >= config.threshold
    && direction * (judged.level - r.toLevel) > 0;
  const next = countDown(r);
  return { score: out, refractory: further ? { ...next, toLevel: judged.level } : next, joined: null, relatedKinds: [], recovered: false };
}

/**
 * One sample less of the period; at its end, a move is remembered (for its recovery, and for a
 * while as a lasting drift, `quiet` counting the samples since), anything else forgotten.
 */
function countDown(r: Refractory): Refractory {
  if (r.remaining > 1) return { ...r, remaining: r.remaining - 1 };
  if (r.kind !== 'drift') return IDLE;
  // Capped: past the lasting window its exact value no longer matters, and the state stays small.
  return r.remaining === 1 ? { ...r, remaining: 0, quiet: 0 } : { ...r, quiet: Math.min(r.quiet + 1, QUIET_CAP) };
}

const QUIET_CAP = 1_000_000;

/** The incident after `judged` was reported or joined: a full period from now, its kind among the incident's kinds. */
function opened(kinds: readonly AnomalyKind[], fromLevel: number, judged: Judged, config: ResolvedDetectorConfig): Refractory {
  const { kind } = judged;
  return {
    remaining: config.refractorySamples, kind, direction: judged.direction, kinds: kinds.includes(kind) ? kinds : [...kinds, kind],
    fromLevel, toLevel: judged.level, quiet: 0,
  };
}
