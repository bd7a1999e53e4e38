/**
 * Stage 4, authorise: the caller acts only within its own tenant, the envelope names the
 * operation's capability, and the caller holds that capability (or every capability of an
 * alternative grant, see `OperationSpec.grantedBy`). The planner checks again that the charter a
 * call names belongs to the caller's tenant: the gateway cannot see charters.
 */
import type { OperationSpec } from './operations';
import type { Refusal } from './refusal';
import { refuse } from './refusal';
import type { Principal } from './trust-store';

/** The parts of a call that authorisation reads. */
export interface AuthoriseInput {
  readonly operation: OperationSpec;
  readonly principal: Principal;
  /** The envelope's claims (tenant and capability), which the signature covered. */
  readonly envelope: { readonly tenant: string; readonly capability: string };
  readonly payload: unknown;
}

/**
 * True when `held` grants `wanted`: an exact match, or a grant ending in `.*` that covers every
 * capability under its prefix (`map.maestro.*` grants all of MAESTRO, `map.maestro.graph.*` the
 * graph operations). A bare `*` is deliberately not honoured.
 */
export function holdsCapability(held: readonly string[], wanted: string): boolean {
  return held.some((grant) => grant === wanted || (grant.endsWith('.*') && wanted.startsWith(grant.slice(0, -1))));
}

/** Authorises a call; null when allowed. */
export function authorise(input: AuthoriseInput): Refusal | null {
  const { operation, principal, envelope, payload } = input;
  if (envelope.tenant !== principal.tenant) {
    return refuse('tenant_mismatch', [`caller '${principal.caller}' belongs to tenant '${principal.tenant}' and cannot act for tenant '${envelope.tenant}'`],
      { details: { callerTenant: principal.tenant, requestedTenant: envelope.tenant } });
  }
  const payloadTenant = tenantOf(payload);
  if (payloadTenant !== undefined && payloadTenant !== principal.tenant) {
    return refuse('tenant_mismatch', [`the payload names tenant '${payloadTenant}' but caller '${principal.caller}' belongs to tenant '${principal.tenant}'`],
      { details: { callerTenant: principal.tenant, requestedTenant: payloadTenant } });
  }
  if (envelope.capability !== operation.capability) {
    // The capability is signed; naming another one is a client bug worth a precise reason.
    return refuse('missing_capability', [`the envelope names capability '${envelope.capability}' but '${operation.name}' is called under '${operation.capability}'`],
      { details: { required: operation.capability, named: envelope.capability } });
  }
  const grants = [[operation.capability], ...operation.grantedBy];
  if (grants.some((set) => set.every((c) => holdsCapability(principal.capabilities, c)))) return null;
  const alternatives = grants.map((set) => set.join(' and ')).join(', or ');
  return refuse('missing_capability', [`caller '${principal.caller}' does not hold ${alternatives}, needed for '${operation.name}'`],
    { details: { required: grants } });
}

function tenantOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const tenant = (payload as { tenant?: unknown }).tenant;
  return typeof tenant === 'string' ? tenant : undefined;
}
