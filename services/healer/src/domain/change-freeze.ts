import type { PolicyHook } from './policy';

/**
 * A change freeze: assets carrying the label `<label>=true` (e.g. during a release or an audit) are
 * never touched automatically. The denial is recorded like any decision, so the on-call engineer
 * sees what the healer would have done.
 */
export function createChangeFreezePolicy(label: string): PolicyHook {
  return {
    name: 'change-freeze',
    evaluate(ctx) {
      if (ctx.asset.labels[label] === 'true') {
        return { verdict: 'deny', reasons: [`asset ${ctx.asset.assetId} is under a change freeze (label ${label}=true)`] };
      }
      return { verdict: 'allow' };
    },
  };
}
