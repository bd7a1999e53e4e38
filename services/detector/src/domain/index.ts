/**
 * Public API of the detector's pure core: configuration, state, the step function and the
 * verdict types. Adapters import from here only.
 */
export { DEFAULT_DETECTOR_CONFIG, DetectorConfigError, resolveDetectorConfig } from './config';
export type { DetectorConfig, ResolvedDetectorConfig } from './config';
export { run, step } from './detector';
export type { Sample, StepResult } from './detector';
export { DETECTOR_STATE_VERSION, initialState, restoreState } from './state';
export type { DetectorState, Refractory } from './state';
export { ANOMALY_KINDS } from './verdict';
export type { Anomaly, AnomalyKind, Evidence, Verdict } from './verdict';
