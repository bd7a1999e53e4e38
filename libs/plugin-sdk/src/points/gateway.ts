/**
 * The gateway's extension point: a policy hook on every authenticated, authorised, schema-valid
 * MAESTRO protocol call, before it is sent to its service. A denial becomes a `policy_denied`
 * refusal listing the hook's reasons. Synchronous, like the gateway's own size-limit hook.
 */

/** What a gateway hook sees. */
export interface GatewayPolicyContext {
  /** The operation called, e.g. `goal.refine`, and the capability it needs. */
  readonly operation: { readonly name: string; readonly capability: string };
  /** Who is calling, from the trust store. */
  readonly principal: { readonly caller: string; readonly tenant: string; readonly capabilities: readonly string[] };
  /** The schema-valid payload. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** UTF-8 length of the payload's canonical JSON. */
  readonly payloadBytes: number;
  readonly nowMs: number;
}

/** A gateway hook's answer. */
export type GatewayPolicyDecision = { readonly allow: true } | { readonly allow: false; readonly reasons: readonly string[] };

/** A rule on protocol calls. */
export interface GatewayPolicyHook {
  readonly name: string;
  evaluate(ctx: GatewayPolicyContext): GatewayPolicyDecision;
}
