/**
 * Folding one sample into an asset's state: rolling series, the usage histogram, the latest custom
 * signals, and the HPA rule's desired count for the stabilisation windows. Pure: returns a new state.
 */
import type { OptimizerConfig } from './config';
import { addSample, emptyHistogram } from './decaying-histogram';
import { emptyForecast, forecastLoad, horizonMs, observeLoad, type LoadForecast } from './forecast';
import { BELOW_USUAL_WAIT, hpaDesired, lastScaleIn, signalRatios, type SignalRatio } from './hpa';
import { judgeSaturationOverServing, servingReplicas, UNDECIDED } from './ready-count';
import { emptyRing, last, push } from './ring';
import type { OptimizationSample } from './sample';
import { InvalidSampleError, validateSample } from './sample';
import type { DesiredPoint, OptimizerState, ScaleEvent, SeriesName, SignalReading } from './state';
import { MAX_DESIRED_POINTS, OPTIMIZER_STATE_VERSION, SERIES } from './state';

/** A fresh state for an asset that has not been sampled yet. */
export function initialState(assetId: string, cfg: OptimizerConfig, nowMs: number): OptimizerState {
  const series = Object.fromEntries(SERIES.map((s) => [s, emptyRing(cfg.windowSize)])) as Record<SeriesName, ReturnType<typeof emptyRing>>;
  return {
    v: OPTIMIZER_STATE_VERSION, assetId, sampleCount: 0, firstSampleAtMs: nowMs, lastSampleAtMs: -Infinity, replicas: 0, sizeUnits: 0,
    series, sampleTimes: emptyRing(cfg.windowSize), forecast: emptyForecast(cfg, nowMs),
    usage: emptyHistogram(nowMs), desired: [], scaleEvents: [], signals: [], published: null, saturationOverServing: UNDECIDED,
  };
}

/** Whether unit cost is above its target (when one is set): idle capacity then costs real money. */
export function underCostPressure(unitCost: number, cfg: OptimizerConfig): boolean {
  return cfg.unitCostTarget > 0 && unitCost > cfg.unitCostTarget;
}

/**
 * The sample's load in replicas' worth of work (what it needs at full utilisation): utilisation ×
 * serving replicas for saturation; for every other signal, the replicas it asks for at target times
 * the target utilisation, so that all signals speak the same unit and the largest wins, as in the
 * HPA rule. `saturated` says the load may be larger than seen: saturation drove it, at capacity.
 */
export function sampleLoad(sample: OptimizationSample, ratios: readonly SignalRatio[], cfg: OptimizerConfig): { load: number; saturated: boolean } | null {
  const ready = sample.readyReplicas ?? sample.replicas;
  let others = 0;
  for (const r of ratios) if (r.name !== 'saturation') others = Math.max(others, r.weighted * sample.replicas * cfg.targetSaturation);
  // No replica serving: utilisation measured nothing, and only the other signals say anything.
  if (ready === 0) return others > 0 ? { load: others, saturated: false } : null;
  const busy = sample.saturation * ready;
  return busy >= others ? { load: busy, saturated: sample.saturation >= cfg.saturatedAt } : { load: others, saturated: false };
}

/**
 * Whether the load is in a dip: below `scaleDownDipShare` of the series' usual level (config.ts).
 * Never where the samples' own noise dominates (forecast.ts `noiseDominated`): there a sample a
 * third of the usual level is the noise of its seconds, not a lull, and the forecast's scale-in
 * already stands on the level rather than on the sample (issue 11: on the web log at 10 s samples
 * such a "dip" was why the count stood above the newest sample's on 15 % of the samples: +2.8 %
 * replica-hours against the HPA rule, +2.4 without; docs/benchmarks.md, nineteenth pass).
 */
export function inDip(forecast: LoadForecast, cfg: OptimizerConfig): boolean {
  return underUsual(forecast, cfg.scaleDownDipShare);
}

/**
 * Whether the load is below its usual level, on a series whose samples are mostly load: a scale-in
 * by the forecast then waits longer after the last one (hpa.ts `BELOW_USUAL_WAIT`). Not where the
 * samples' own noise dominates: there half the samples fall below the usual level by their noise
 * alone, and the longer wait took the table's web log at 10 s samples from 0.2 replica-hours below
 * the HPA rule's to 0.1 % above (docs/benchmarks.md, twenty-second pass).
 */
export function belowUsual(forecast: LoadForecast): boolean {
  return underUsual(forecast, 1);
}

/** Whether the load as measured is below `share` of its usual level, on a sample that is mostly load ({@link inDip}, {@link belowUsual}). */
function underUsual(forecast: LoadForecast, share: number): boolean {
  return !forecast.noiseDominated && forecast.measured < share * forecast.usual;
}

/**
 * Whether a scale-in by the forecast waits for the long window's max: in a dip (the load tends to
 * come back faster than a startup delay), or while the load's trend climbs at a steady pace
 * (forecast.ts `rising`: it is on its way back up).
 */
function forecastScaleInWaits(forecast: LoadForecast, cfg: OptimizerConfig): boolean {
  return inDip(forecast, cfg) || forecast.rising;
}

/**
 * Replicas the latest load as measured needs at the target utilisation (unrounded): load / target;
 * except on a series whose seconds are noisy at its usual level (forecast.ts `noisyAtUsual`), where
 * the margin over the load follows the noise (forecast.ts `staffingShare`): as the square root of the
 * rate where one second's noise dominates, in proportion to it where the rate's own uncertainty does.
 * There most demand lost is per-second overflow the sample's mean hides (issue 11, the weblog shape:
 * 99 % of it or more, at every sample interval), whose variance is k·L (load-noise.ts). A replica
 * added at capacity C serves P(D > C) more of it, so for the same replica-hours the loss is least
 * where P(D > C) is the same at every level: C = L + z·√(k·L), not L / target, which leaves low
 * levels (nights) short and high ones (peaks) with more than their noise needs (weblog seed 1 under
 * load / target: a replica added in the lowest fifth of the levels would have served 3.0× what one
 * added in the highest would at 10 s samples, 2.0× at 30 s, 1.6× at 60 s). The margin spends what the
 * target's would over the loads of the last hours: the target still sets the cost, the noise only
 * where it goes. It is judged on the series, not per sample: gated per sample (noise-dominated or
 * not) it covered only the low loads, which it lifts, and not the high ones that pay for them (issue
 * 11: a web log at 4× the table's rate, +3.8 to +4.3 % replica-hours against the HPA rule;
 * docs/benchmarks.md, twelfth pass). The rate under the root is the point forecast, and the sample as
 * measured scales the count as under the target, by the multiplier 1 + a·share (a = 1 / target − 1):
 * the square root of each noisy sample instead shrinks its highs (with the median load as anchor it
 * billed 8-19 % fewer replica-hours than the HPA rule, and left more unserved: docs/benchmarks.md,
 * eleventh pass). The margin follows the time a count stands ({@link exposureFactor}): it grows at
 * sample intervals past 15 s, and shrinks below 15 s on a sample whose own noise dominates.
 */
function targetReplicas(forecast: LoadForecast, cfg: OptimizerConfig): number {
  if (forecast.staffingShare === null) return forecast.measured / cfg.targetSaturation;
  return forecast.measured * (1 + (1 / cfg.targetSaturation - 1) * forecast.staffingShare * exposureFactor(forecast.horizonMs, forecast.noiseDominated, cfg));
}

/** How often the HPA rule's controller reads its metrics (the Kubernetes default sync period). */
const HPA_SYNC_MS = 15_000;
/** What the staffing margin grows by per reference exposure past the reference ({@link exposureFactor}). */
const EXPOSURE_GROWTH = 0.05;
/** What the staffing margin shrinks by per reference exposure short of the reference, where noise dominates ({@link exposureFactor}). */
const EXPOSURE_SHRINK = 0.7;

/**
 * The factor on the staffing margin for the time a count is exposed: from the sample it was decided
 * on until the next sample's correction serves, one interval plus the startup delay (the horizon).
 * The target utilisation is the HPA rule's, set for a controller that reads every 15 s: its margin
 * covers what the load does over a startup delay and 15 s. At a slower cadence a count stands longer
 * before anything can correct it, and the margin grows with that time: by {@link EXPOSURE_GROWTH}
 * for each reference exposure past it (1 % at 30 s samples, 3 % at 60 s, with a 60 s startup); 1 at
 * 15 s. Only the staffing margin grows: its spend is pinned to the target's at every interval
 * (forecast.ts `staffingShare`). Without the growth, at a capacity where the web log's
 * 99th-percentile second needs 8 replicas, 17 of its 20 rows at 30 and 60 s (seeds 1-2, 1-16× its
 * rate) left more demand unserved than the HPA rule, at 1-3 % fewer replica-hours; with it 11. Growing
 * load / target too (series not noisy at their usual level, whose band already covers the horizon)
 * gave up rows at a capacity of 10 replicas (docs/benchmarks.md, fourteenth pass).
 *
 * At a faster cadence than the reference the margin shrinks, by {@link EXPOSURE_SHRINK} for each
 * reference exposure short of it (×0.953 at 10 s samples, ×0.907 at 5 s), but only on a sample whose
 * own noise dominates the series (forecast.ts `noiseDominated`). There the count is held at the long
 * scale-down window's max of target terms each read from one noisy sample, and at a shorter interval
 * the window holds more of them, whose max lies further above the rate (forecast.ts
 * `samplesNoiseMaximum`): the hold already covers part of what the margin is for. Without the shrink
 * the table's web log at 10 s billed 2.0-2.5 % more replica-hours than the HPA rule on every seed
 * (1-6) for about a fifth less unserved; with it 35 of 40 rows at 10 s and 20 replicas (seeds 1-4,
 * the web log ×1 to ×16) were ahead instead of 28, at the cost of three rows of the web log at 4× its
 * rate at 8 and at 10 replicas (more unserved), whose nights are noise-dominated. Where a sample is
 * mostly load, the window's max does not rise with the samples it holds, and the margin stays whole:
 * shrunk on every series, the daily shape at 10 s left more unserved than the HPA rule
 * (docs/benchmarks.md, twenty-first pass).
 */
function exposureFactor(horizonMs: number, noiseDominated: boolean, cfg: OptimizerConfig): number {
  const reference = cfg.startupMs + HPA_SYNC_MS;
  if (horizonMs < reference) return noiseDominated ? 1 - EXPOSURE_SHRINK * (reference - horizonMs) / reference : 1;
  return 1 + EXPOSURE_GROWTH * (horizonMs - reference) / reference;
}

/**
 * Replicas for the forecast, within the bounds. `replicas` covers the latest load as measured at the
 * target utilisation — the HPA rule's own term, so the count is never below what that rule would
 * react with, whatever the forecast says (a level shift comes without warning; on a series noisy at its
 * usual level the same spend spread by noise instead, {@link targetReplicas}) — and the rate's band
 * top over the horizon at `peakSaturation` — so a rise the forecast sees coming is met before it
 * arrives; a saturated sample's assumed growth is in the band, not under the target's margin too.
 * `hold` is how far a scale-down may go before the long scale-down window has passed (hpa.ts
 * `stabilise`): the count the samples' band top needs at the target (the samples' own noise kept in:
 * with the rate's band instead, a sample's dip let the count down and the next sample's noise took it
 * back up — on the synthetic daily, ramp and step shapes at 10 and 15 s samples more changes than the
 * HPA rule, docs/benchmarks.md, thirteenth pass), and at least the point forecast plus
 * `scaleDownNoiseDeviations` of one second's noise at full utilisation (the noise a sample's mean hides);
 * null in a dip (the load below `scaleDownDipShare` of its usual level), since such a load tends to
 * come back faster than a startup delay, and while the load's trend climbs at a steady pace
 * ({@link forecastScaleInWaits}): the long window's max alone may then scale in.
 */
export function coveringReplicas(forecast: LoadForecast, cfg: OptimizerConfig): { replicas: number; need: number; required: number; hold: number | null } {
  const bound = (n: number) => Math.min(cfg.maxReplicas, Math.max(cfg.minReplicas, Math.ceil(n - 1e-9)));
  const need = Math.max(targetReplicas(forecast, cfg), forecast.upper / cfg.peakSaturation);
  const noiseFloor = forecast.point + cfg.scaleDownNoiseDeviations * forecast.perSecondDeviation;
  return { replicas: bound(need), need, required: bound(forecast.upper / cfg.peakSaturation), hold: forecastScaleInWaits(forecast, cfg) ? null : bound(Math.max(forecast.samplesUpper / cfg.targetSaturation, noiseFloor)) };
}

/**
 * The scale events a state keeps: those inside the rate limits' longest period (hpa.ts `rateBounds`)
 * or the last startup delay (ready-count.ts `startingReplicas`), and the last scale-in and the last
 * change while the wait after that scale-in may still run (hpa.ts `scaleInPause`: at most
 * `BELOW_USUAL_WAIT` horizons). Two, not every change of the wait; at most one a sample inside the
 * startup delay; so the state stays bounded. Events are appended in time order (publish.ts).
 */
function keptEvents(events: readonly ScaleEvent[], nowMs: number, periodMs: number, pauseMs: number, startupMs: number): ScaleEvent[] {
  const lastIn = lastScaleIn(events);
  const latest = events[events.length - 1];
  return events.filter((e) => e.atMs > nowMs - periodMs || e.atMs >= nowMs - startupMs || ((e === lastIn || e === latest) && e.atMs > nowMs - pauseMs));
}

/**
 * Folds a sample into the state. A sample not newer than the last one is ignored (Kafka redelivery
 * and replays must not count twice); an invalid one throws {@link InvalidSampleError}.
 */
export function observe(state: OptimizerState | null, sample: OptimizationSample, cfg: OptimizerConfig): OptimizerState {
  const errors = validateSample(sample);
  if (errors.length > 0) throw new InvalidSampleError(`sample for ${sample.assetId} at ${sample.atMs}: ${errors.join('; ')}`);
  const s0 = state ?? initialState(sample.assetId, cfg, sample.atMs);
  if (sample.atMs <= s0.lastSampleAtMs) return s0;

  const series = { ...s0.series };
  for (const name of SERIES) series[name] = push(series[name], sample[name]);

  const signalsIn = sample.signals ?? [];
  const ratios = signalRatios({ saturation: sample.saturation, queueDepth: sample.queueDepth, replicas: sample.replicas, signals: signalsIn }, cfg);
  const downTolerance = underCostPressure(sample.unitCost, cfg) ? cfg.costPressureTolerance : cfg.tolerance;
  const hpa = hpaDesired(sample.replicas, ratios, cfg.tolerance, downTolerance);
  const previous = { atMs: s0.lastSampleAtMs, replicas: s0.replicas, saturation: last(s0.series.saturation) ?? 0, throughputPerS: last(s0.series.throughputPerS) ?? 0 };
  const overServing = judgeSaturationOverServing(s0.saturationOverServing, s0.scaleEvents, previous, sample, cfg.startupMs);
  const ready = sample.readyReplicas ?? servingReplicas(sample, s0.scaleEvents, overServing, cfg);
  const load = sampleLoad({ ...sample, readyReplicas: ready }, ratios, cfg);
  const forecast = load === null ? s0.forecast : observeLoad(s0.forecast, sample.atMs, load.load, load.saturated, cfg);
  const historyMs = Math.max(cfg.scaleUpStabilizationMs, cfg.scaleDownStabilizationMs);
  // Oldest points go first, but the newest before the window stays: it may be all a slow cadence has.
  const desired: DesiredPoint[] = s0.desired.filter((p, i, all) => p.atMs > sample.atMs - historyMs || i === all.length - 1);
  // Before any load was seen (no replica serving yet, no other signal) the forecast has no opinion.
  const wanted = forecast.atMs === null ? { replicas: sample.replicas, need: sample.replicas, required: 0, hold: sample.replicas } : coveringReplicas(forecastLoad(forecast, cfg), cfg);
  desired.push({ atMs: sample.atMs, replicas: wanted.replicas, need: wanted.need, required: wanted.required, ...(wanted.hold === null ? {} : { hold: wanted.hold }), ratio: hpa.ratio });
  if (desired.length > MAX_DESIRED_POINTS) desired.splice(0, desired.length - MAX_DESIRED_POINTS);

  const readings: SignalReading[] = s0.signals.filter((r) => !signalsIn.some((g) => g.name === r.name));
  for (const g of signalsIn) readings.push({ name: g.name, value: g.value, target: g.target, weight: g.weight, atMs: sample.atMs });
  // Most recently seen signals win the bounded slots; a signal that stopped reporting ages out.
  readings.sort((a, b) => b.atMs - a.atMs || (a.name < b.name ? -1 : 1));

  return {
    v: OPTIMIZER_STATE_VERSION, assetId: s0.assetId,
    sampleCount: s0.sampleCount + 1,
    firstSampleAtMs: s0.sampleCount === 0 ? sample.atMs : s0.firstSampleAtMs,
    lastSampleAtMs: sample.atMs,
    replicas: sample.replicas, sizeUnits: sample.sizeUnits,
    series, sampleTimes: push(s0.sampleTimes, sample.atMs), forecast,
    usage: addSample(s0.usage, cfg.histogram, sample.saturation * sample.sizeUnits, sample.atMs),
    desired,
    scaleEvents: keptEvents(s0.scaleEvents, sample.atMs, Math.max(cfg.scaleUpPeriodMs, cfg.scaleDownPeriodMs), horizonMs(forecast, cfg) * BELOW_USUAL_WAIT, cfg.startupMs),
    signals: readings.slice(0, cfg.maxCustomSignals),
    published: s0.published,
    saturationOverServing: overServing,
  };
}
