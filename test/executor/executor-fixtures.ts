import type { HealingAction } from '@maestro/contracts';

/** The executor as its own process, the way `npm start` runs it. */
export const executorEntry = { script: 'services/executor/src/main.ts', name: 'executor' } as const;

/** A live healing action as the healer publishes it. */
export function healingAction(actionId: string, assetId: string, strategy: string, params: Record<string, string> = {}): HealingAction {
  return {
    actionId, anomalyId: actionId.split('#')[0]!, assetId, strategy, params, dryRun: false, attempt: 1, decidedAtMs: Date.now(),
    reasons: [`test: ${strategy} for ${assetId}`], tenant: null,
  };
}
