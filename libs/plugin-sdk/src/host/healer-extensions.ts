/**
 * The healer's plugin strategies and policy hooks, wrapped so that the healer's core can call them
 * like its own. The wrappers keep the core's fail-closed rules and add the plugin's name to what it
 * decides:
 * - a policy hook is named `<plugin>/<hook>` in the decision's policy results; a failed call denies
 *   with the reason `plugin <plugin> failed: ...`;
 * - a strategy's plan carries `maestro.plugin: <plugin>` in its params; a failed plan carries the
 *   failure instead, and the guard hook (always last) denies any proposal that does, with that reason;
 * - a failed `appliesTo` skips the rung, as `false` would (recorded like any failure).
 */
import type { HealerPolicyHook, HealerPolicyVerdict, ResponseStrategy, ActionPlan, StrategyContext, LadderPlacement } from '../points/healer';
import type { PluginDefinition } from '../plugin';
import { booleanAnswer, isRecord, isStringList, nonEmptyReasons, show } from './answers';
import type { AnswerCheck, Containment } from './containment';

/** Param naming the plugin whose strategy planned the action. */
export const PLUGIN_PARAM = 'maestro.plugin';
/** Param carrying the reason a plugin strategy failed to plan; the guard denies proposals with it. */
export const PLUGIN_FAILURE_PARAM = 'maestro.plugin_failure';
/** Name of the guard hook in decisions. */
export const PLUGIN_FAILURE_GUARD = 'plugin-failure-guard';

/** The ladder shape the healer configures, per anomaly kind. */
export type LadderTable = Readonly<Record<string, readonly { readonly minSeverity: number; readonly steps: readonly string[] }[]>>;

export interface HealerExtensions {
  /** Plugin strategies, to register beside the built-ins (a name clash stops the healer at boot). */
  readonly strategies: readonly ResponseStrategy[];
  /** Plugin hooks in load order, then the guard: append after the healer's own hooks. */
  readonly policyHooks: readonly HealerPolicyHook[];
  /** `base` with each plugin strategy placed in the ladders it asks for. */
  ladders<L extends LadderTable>(base: L): L;
}

const checkPlan = (name: string): AnswerCheck<ActionPlan> => (answer) => {
  if (!isRecord(answer)) return { ok: false, problem: `expected { strategy, params, expectedRecovery }, got ${show(answer)}` };
  if (answer.strategy !== name) return { ok: false, problem: `strategy must be "${name}", got ${show(answer.strategy)}` };
  if (!isRecord(answer.params)) return { ok: false, problem: `params must be an object, got ${show(answer.params)}` };
  const r = answer.expectedRecovery;
  const condition = isRecord(r) ? r.condition : undefined;
  if (!isRecord(r) || typeof r.metric !== 'string' || !(typeof r.withinMs === 'number' && r.withinMs > 0) || !isRecord(condition)
    || (condition.op !== 'at_most' && condition.op !== 'at_least') || !Number.isFinite(condition.threshold) || !(Number.isInteger(condition.sustainedSamples) && (condition.sustainedSamples as number) >= 1)) {
    return { ok: false, problem: `expectedRecovery must be { metric, withinMs > 0, condition: { op: at_most|at_least, threshold, sustainedSamples >= 1 } }, got ${show(r)}` };
  }
  return { ok: true, value: answer as unknown as ActionPlan };
};

const checkVerdict: AnswerCheck<HealerPolicyVerdict> = (answer) => {
  if (!isRecord(answer)) return { ok: false, problem: `expected { verdict, reasons }, got ${show(answer)}` };
  switch (answer.verdict) {
    case 'allow':
      return answer.reasons === undefined || isStringList(answer.reasons) ? { ok: true, value: answer as unknown as HealerPolicyVerdict } : { ok: false, problem: 'reasons must be a list of strings' };
    case 'deny':
      return nonEmptyReasons(answer.reasons) ? { ok: true, value: answer as unknown as HealerPolicyVerdict } : { ok: false, problem: 'a deny must give its reasons' };
    case 'modify':
      if (!nonEmptyReasons(answer.reasons)) return { ok: false, problem: 'a modify must give its reasons' };
      if (answer.strategy !== undefined && typeof answer.strategy !== 'string') return { ok: false, problem: `strategy must be a name, got ${show(answer.strategy)}` };
      if (answer.params !== undefined && !isRecord(answer.params)) return { ok: false, problem: `params must be an object, got ${show(answer.params)}` };
      return { ok: true, value: answer as unknown as HealerPolicyVerdict };
    default:
      return { ok: false, problem: `verdict must be allow, deny or modify, got ${show(answer.verdict)}` };
  }
};

/** A plan that cannot be carried out; only the guard ever looks at it, to deny it. */
function failedPlan(name: string, plugin: string, reason: string, ctx: StrategyContext): ActionPlan {
  return {
    strategy: name,
    params: { [PLUGIN_PARAM]: plugin, [PLUGIN_FAILURE_PARAM]: reason },
    expectedRecovery: { metric: ctx.anomaly.metric, withinMs: 1, condition: { op: 'at_most', threshold: ctx.anomaly.evidence.baselineMean, sustainedSamples: 1 } },
  };
}

function wrapStrategy(plugin: string, strategy: ResponseStrategy, containment: Containment): ResponseStrategy {
  const site = (fn: string) => ({ plugin, point: `healer strategy ${strategy.name} ${fn}` });
  return {
    name: strategy.name,
    appliesTo(kind, severity) {
      const answer = containment.callSync(site('appliesTo'), () => strategy.appliesTo(kind, severity), booleanAnswer);
      return answer.ok && answer.value;
    },
    plan(ctx) {
      const answer = containment.callSync(site('plan'), () => strategy.plan(ctx), checkPlan(strategy.name));
      if (!answer.ok) return failedPlan(strategy.name, plugin, answer.failure.reason, ctx);
      return { ...answer.value, params: { ...answer.value.params, [PLUGIN_PARAM]: plugin } };
    },
  };
}

function wrapHook(plugin: string, hook: HealerPolicyHook, containment: Containment): HealerPolicyHook {
  const site = { plugin, point: `healer policy hook ${hook.name}` };
  return {
    name: `${plugin}/${hook.name}`,
    evaluate(ctx) {
      const answer = containment.callSync(site, () => hook.evaluate(ctx), checkVerdict);
      return answer.ok ? answer.value : { verdict: 'deny', reasons: [answer.failure.reason] };
    },
  };
}

/** Denies a proposal whose plan a plugin failed to make. */
export const pluginFailureGuard: HealerPolicyHook = {
  name: PLUGIN_FAILURE_GUARD,
  evaluate({ proposal }) {
    const failure = proposal.params[PLUGIN_FAILURE_PARAM];
    return typeof failure === 'string' ? { verdict: 'deny', reasons: [failure] } : { verdict: 'allow' };
  },
};

function place(steps: readonly string[], name: string, placement: LadderPlacement): string[] {
  const rest = steps.filter((s) => s !== name);
  if (placement === 'first') return [name, ...rest];
  const runbook = rest.indexOf('runbook');
  return runbook < 0 ? [...rest, name] : [...rest.slice(0, runbook), name, ...rest.slice(runbook)];
}

export function healerExtensions(plugins: readonly PluginDefinition[], containment: Containment): HealerExtensions {
  const strategies = plugins.flatMap((p) => (p.strategies ?? []).map((s) => ({ plugin: p.name, original: s, wrapped: wrapStrategy(p.name, s, containment) })));
  const hooks = plugins.flatMap((p) => (p.policyHooks?.healer ?? []).map((h) => wrapHook(p.name, h, containment)));
  return {
    strategies: strategies.map((s) => s.wrapped),
    // The guard is there only when some plugin can plan; it is last so it sees the final proposal.
    policyHooks: strategies.length > 0 ? [...hooks, pluginFailureGuard] : hooks,
    ladders(base) {
      const out: Record<string, { minSeverity: number; steps: readonly string[] }[]> = {};
      for (const [kind, bands] of Object.entries(base)) {
        out[kind] = bands.map((band) => {
          let steps = band.steps;
          for (const { original } of strategies) {
            const placement = original.ladders?.[kind as keyof NonNullable<ResponseStrategy['ladders']>];
            if (placement !== undefined) steps = place(steps, original.name, placement);
          }
          return { ...band, steps };
        });
      }
      return out as unknown as typeof base;
    },
  };
}
