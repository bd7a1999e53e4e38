/**
 * Stage 5, policy: pluggable, pure, synchronous hooks that may deny an authorised call. Every hook
 * runs, so a refusal lists every policy the call breaks, not just the first.
 */
import type { OperationName, OperationSpec } from './operations';
import type { Refusal } from './refusal';
import { refuse } from './refusal';
import type { Principal } from './trust-store';

/** What a hook sees. */
export interface PolicyContext {
  readonly operation: OperationSpec;
  readonly principal: Principal;
  /** The schema-valid payload. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** UTF-8 length of the payload's canonical JSON. */
  readonly payloadBytes: number;
  readonly nowMs: number;
}

/** A hook's verdict; a denial says why in words. */
export type PolicyDecision = { readonly allow: true } | { readonly allow: false; readonly reasons: readonly string[] };

/** A policy: a name for audit records and a pure, synchronous verdict. */
export interface PolicyHook {
  readonly name: string;
  evaluate(context: PolicyContext): PolicyDecision;
}

/** The verdict of a hook with nothing to object to. */
export const ALLOW: PolicyDecision = Object.freeze({ allow: true });

/**
 * Runs every hook; null when all allow. A hook that throws denies the call (fail closed) with an
 * `internal` refusal, because a broken policy is Maestro's failure, not the caller's.
 */
export function evaluatePolicies(hooks: readonly PolicyHook[], context: PolicyContext): Refusal | null {
  const denials: { hook: string; reasons: readonly string[] }[] = [];
  for (const hook of hooks) {
    let decision: PolicyDecision;
    try {
      decision = hook.evaluate(context);
    } catch (err) {
      return refuse('internal', [`policy hook '${hook.name}' failed: ${err instanceof Error ? err.message : String(err)}`], { stage: 'policy' });
    }
    if (!decision.allow) denials.push({ hook: hook.name, reasons: decision.reasons });
  }
  if (denials.length === 0) return null;
  return refuse('policy_denied', denials.flatMap((d) => d.reasons.map((r) => `${d.hook}: ${r}`)), { details: { deniedBy: denials.map((d) => d.hook) } });
}

/** Limits for {@link createSizeLimitHook}. */
export interface SizeLimits {
  /** @default 1_048_576 (1 MiB of canonical JSON) */
  readonly maxPayloadBytes?: number;
  /** Steps per goal in goal.refine and plan; tighter than the schema's 1000 for a deployment that needs it. @default 500 */
  readonly maxSteps?: number;
  /** @default 5_000 */
  readonly maxDependencies?: number;
}

/** Denies payloads larger than the deployment allows, in bytes and in graph size. */
export function createSizeLimitHook(limits: SizeLimits = {}): PolicyHook {
  const maxPayloadBytes = limits.maxPayloadBytes ?? 1_048_576;
  const maxSteps = limits.maxSteps ?? 500;
  const maxDependencies = limits.maxDependencies ?? 5_000;
  return {
    name: 'size-limit',
    evaluate({ payload, payloadBytes }) {
      const reasons: string[] = [];
      if (payloadBytes > maxPayloadBytes) reasons.push(`the payload is ${payloadBytes} bytes, over the limit of ${maxPayloadBytes}`);
      const steps = Array.isArray(payload.steps) ? payload.steps.length : 0;
      if (steps > maxSteps) reasons.push(`the goal has ${steps} steps, over the limit of ${maxSteps}`);
      const dependencies = Array.isArray(payload.dependencies) ? payload.dependencies.length : 0;
      if (dependencies > maxDependencies) reasons.push(`the goal has ${dependencies} dependencies, over the limit of ${maxDependencies}`);
      return reasons.length === 0 ? ALLOW : { allow: false, reasons };
    },
  };
}

/** Denies, per tenant, the operations that tenant may not call whatever its callers' capabilities. */
export function createOperationDenyListHook(denied: Readonly<Record<string, readonly OperationName[]>>): PolicyHook {
  const byTenant = new Map(Object.entries(denied).map(([tenant, ops]) => [tenant, new Set<string>(ops)]));
  return {
    name: 'operation-deny-list',
    evaluate({ operation, principal }) {
      if (!byTenant.get(principal.tenant)?.has(operation.name)) return ALLOW;
      return { allow: false, reasons: [`tenant '${principal.tenant}' may not call '${operation.name}'`] };
    },
  };
}
