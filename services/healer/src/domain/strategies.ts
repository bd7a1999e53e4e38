import type { ActionParams } from './action';
import type { AnomalyKind } from './anomaly';
import { recoveryTarget } from './strategy';
import type { RecoveryTargetOptions, ResponseStrategy, StrategyContext } from './strategy';

/** Options every built-in strategy takes. */
export interface StrategyOptions extends RecoveryTargetOptions {
  /** How long the action has to bring the metric back before the ladder escalates. */
  readonly withinMs?: number;
}

/** Options of the runbook strategy: the webhook that runs the runbook. */
export interface RunbookOptions extends StrategyOptions {
  /** http(s) URL of the runbook automation webhook. */
  readonly url: string;
  /** @default 'POST' */
  readonly method?: 'POST' | 'PUT';
}

function define(
  name: string,
  defaultWithinMs: number,
  options: StrategyOptions,
  appliesTo: (kind: AnomalyKind, severity: number) => boolean,
  params: (ctx: StrategyContext) => ActionParams,
): ResponseStrategy {
  const withinMs = options.withinMs ?? defaultWithinMs;
  return Object.freeze({
    name,
    appliesTo,
    plan: (ctx: StrategyContext) => ({ strategy: name, params: params(ctx), expectedRecovery: recoveryTarget(ctx.anomaly, withinMs, options) }),
  });
}

/** Proportional to severity, rounded so audit records and tests read cleanly. */
function scaled(min: number, max: number, severity: number): number {
  return Math.round((min + (max - min) * Math.min(1, Math.max(0, severity))) * 100) / 100;
}

/**
 * Fail the asset over to its standby. Drastic (it moves all traffic), so only from `minSeverity`
 * (@default 0.6). `withinMs` @default 180_000: DNS and connection draining take minutes.
 */
export function createFailoverStrategy(options: StrategyOptions & { readonly minSeverity?: number } = {}): ResponseStrategy {
  const minSeverity = options.minSeverity ?? 0.6;
  return define('failover', 180_000, options, (_kind, severity) => severity >= minSeverity, ({ anomaly, asset }) => ({
    assetId: anomaly.assetId,
    fromRegion: asset.region ?? null,
    provider: asset.provider ?? null,
    target: 'standby',
  }));
}

/**
 * Run a runbook through a webhook: the spec carries url, method and payload, and the adapter only
 * sends it. The payload has everything a human or an automation needs without calling back.
 * `withinMs` @default 600_000 (runbooks may involve a person).
 */
export function createRunbookStrategy(options: RunbookOptions): ResponseStrategy {
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RangeError(`runbook url must be http(s), got ${url.protocol}`);
  const method = options.method ?? 'POST';
  return define('runbook', 600_000, options, () => true, ({ anomaly, asset }) => ({
    webhook: {
      url: url.href,
      method,
      payload: {
        anomalyId: anomaly.anomalyId,
        assetId: anomaly.assetId,
        metric: anomaly.metric,
        kind: anomaly.kind,
        severity: anomaly.severity,
        detectedAtMs: anomaly.detectedAtMs,
        evidence: { zScore: anomaly.evidence.zScore, baselineMean: anomaly.evidence.baselineMean, baselineStd: anomaly.evidence.baselineStd },
        region: asset.region ?? null,
        provider: asset.provider ?? null,
        labels: { ...asset.labels },
      },
    },
  }));
}

/**
 * Shift a share of the asset's traffic to its peers, more for a worse anomaly (20 % to 70 %).
 * `withinMs` @default 120_000
 */
export function createRebalanceStrategy(options: StrategyOptions = {}): ResponseStrategy {
  return define('rebalance', 120_000, options, () => true, ({ anomaly, asset }) => ({
    assetId: anomaly.assetId,
    region: asset.region ?? null,
    shiftRatio: scaled(0.2, 0.7, anomaly.severity),
  }));
}

/**
 * Rolling restart of the asset's instances. Not for `drift`: a level that moved with load comes back
 * after a restart, so it would only burn a rung.
 * `withinMs` @default 120_000
 */
export function createRestartStrategy(options: StrategyOptions = {}): ResponseStrategy {
  return define('restart', 120_000, options, (kind) => kind !== 'drift', ({ anomaly }) => ({ assetId: anomaly.assetId, mode: 'rolling' }));
}

/**
 * Reduce admitted load by 10 % to 50 % with severity. Only for `spike` and `oscillation`: throttling
 * a drop would deepen it.
 * `withinMs` @default 60_000 (takes effect at the next admission window)
 */
export function createThrottleStrategy(options: StrategyOptions = {}): ResponseStrategy {
  return define('throttle', 60_000, options, (kind) => kind === 'spike' || kind === 'oscillation', ({ anomaly }) => ({
    assetId: anomaly.assetId,
    reduceByRatio: scaled(0.1, 0.5, anomaly.severity),
  }));
}

/** The five built-in strategies; the runbook webhook has no sensible default, so it is required. */
export function createBuiltinStrategies(options: { readonly runbook: RunbookOptions; readonly common?: StrategyOptions }): readonly ResponseStrategy[] {
  const common = options.common ?? {};
  return [
    createFailoverStrategy(common),
    createRunbookStrategy({ ...common, ...options.runbook }),
    createRebalanceStrategy(common),
    createRestartStrategy(common),
    createThrottleStrategy(common),
  ];
}
