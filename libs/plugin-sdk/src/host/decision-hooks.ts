/**
 * The router's and the gateway's plugin policy hooks, wrapped for their cores: named
 * `<plugin>/<hook>` in decisions, and failing closed (a deny with the reason
 * `plugin <plugin> failed: ...`) when the call throws, runs over budget or answers wrongly. Both
 * cores already deny on a throw; the wrapper adds the plugin's name, the budget, the answer check
 * and the failure record.
 */
import type { GatewayPolicyDecision, GatewayPolicyHook } from '../points/gateway';
import type { RouterPolicyHook, RouterPolicyResult } from '../points/router';
import type { PluginDefinition } from '../plugin';
import { isRecord, isStringList, nonEmptyReasons, show } from './answers';
import type { AnswerCheck, Containment } from './containment';

const checkRouterResult: AnswerCheck<RouterPolicyResult> = (answer) => {
  if (!isRecord(answer)) return { ok: false, problem: `expected { verdict, reasons }, got ${show(answer)}` };
  if (answer.verdict !== 'allow' && answer.verdict !== 'deny' && answer.verdict !== 'adjust') return { ok: false, problem: `verdict must be allow, deny or adjust, got ${show(answer.verdict)}` };
  if (!isStringList(answer.reasons)) return { ok: false, problem: 'reasons must be a list of strings' };
  if (answer.verdict === 'deny' && !nonEmptyReasons(answer.reasons)) return { ok: false, problem: 'a deny must give its reasons' };
  if (answer.verdict === 'adjust' && !(typeof answer.scoreDelta === 'number' && Number.isFinite(answer.scoreDelta))) return { ok: false, problem: `an adjust needs a finite scoreDelta, got ${show(answer.scoreDelta)}` };
  return { ok: true, value: answer as unknown as RouterPolicyResult };
};

const checkGatewayDecision: AnswerCheck<GatewayPolicyDecision> = (answer) => {
  if (!isRecord(answer) || typeof answer.allow !== 'boolean') return { ok: false, problem: `expected { allow: true } or { allow: false, reasons }, got ${show(answer)}` };
  if (!answer.allow && !nonEmptyReasons(answer.reasons)) return { ok: false, problem: 'a denial must give its reasons' };
  return { ok: true, value: answer as unknown as GatewayPolicyDecision };
};

/** The router hooks of every plugin, in load order: append after the router's own. */
export function routerPolicyHooks(plugins: readonly PluginDefinition[], containment: Containment): RouterPolicyHook[] {
  return plugins.flatMap((p) => (p.policyHooks?.router ?? []).map((hook): RouterPolicyHook => {
    const site = { plugin: p.name, point: `router policy hook ${hook.name}` };
    return {
      name: `${p.name}/${hook.name}`,
      evaluate(ctx) {
        const answer = containment.callSync(site, () => hook.evaluate(ctx), checkRouterResult);
        return answer.ok ? answer.value : { verdict: 'deny', reasons: [answer.failure.reason] };
      },
    };
  }));
}

/** The gateway hooks of every plugin, in load order: append after the gateway's own. */
export function gatewayPolicyHooks(plugins: readonly PluginDefinition[], containment: Containment): GatewayPolicyHook[] {
  return plugins.flatMap((p) => (p.policyHooks?.gateway ?? []).map((hook): GatewayPolicyHook => {
    const site = { plugin: p.name, point: `gateway policy hook ${hook.name}` };
    return {
      name: `${p.name}/${hook.name}`,
      evaluate(ctx) {
        const answer = containment.callSync(site, () => hook.evaluate(ctx), checkGatewayDecision);
        return answer.ok ? answer.value : { allow: false, reasons: [answer.failure.reason] };
      },
    };
  }));
}
