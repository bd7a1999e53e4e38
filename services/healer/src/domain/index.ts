/**
 * Healer domain: pure healing decisions. The adapter loads context, calls `decide`, acquires the
 * returned claim atomically in Redis, calls `settleDecision`, publishes the decision, executes it
 * when `isActionable`, and later feeds samples to `evaluateRecovery` and failures to `escalate`.
 */
export { ANOMALY_KINDS } from './anomaly';
export type { Anomaly, AnomalyEvidence, AnomalyKind, AssetInfo, HealingContext, Intervention } from './anomaly';
export type { ActionChoice, ActionParams, ActionSpec, ExpectedRecovery, HealingAction, HealingMode, JsonValue, RecoveryCondition } from './action';
export { recoveryTarget } from './strategy';
export type { RecoveryTargetOptions, ResponseStrategy, StrategyContext } from './strategy';
export {
  createBuiltinStrategies,
  createFailoverStrategy,
  createRebalanceStrategy,
  createRestartStrategy,
  createRunbookStrategy,
  createThrottleStrategy,
} from './strategies';
export type { RunbookOptions, StrategyOptions } from './strategies';
export { DEFAULT_LADDERS, findRung, selectBand } from './ladder';
export type { LadderBand, Ladders, Rung, RungQuery, RungSearch } from './ladder';
export { runPolicies } from './policy';
export type { PolicyContext, PolicyHook, PolicyOutcome, PolicyResult, PolicyVerdict } from './policy';
export { DEFAULT_HEALER_SETTINGS, resolveHealerConfig } from './config';
export type { HealerConfig, HealerSettings } from './config';
export { DECISION_OUTCOMES, dedupeKeyFor, isActionable, isTracked, stateMode } from './decision';
export type { DecisionDraft, DecisionOutcome, HealingDecision, Suppression } from './decision';
export { buildClaim } from './slot';
export type { CapClaim, HeldBack, SlotAcquisition, SlotClaim } from './slot';
export type { DecideResult } from './step-planning';
export { decide } from './decide';
export { settleDecision, actionFromDecision } from './settle';
export { evaluateRecovery } from './recovery';
export type { MetricSample, RecoveryEvaluation, RecoveryStatus } from './recovery';
export { escalate } from './escalation';
export { createChangeFreezePolicy } from './change-freeze';
export { judgeReport } from './executor-report';
export type { ExecutorReport, ReportVerdict } from './executor-report';
