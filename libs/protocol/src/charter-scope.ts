/**
 * A charter's identity inside Maestro: the tenant that declared it and the id that tenant gave it.
 * Charter ids are the tenant's own names, so two tenants may each have a charter 'ch-1'; nothing a
 * caller can do tells whether another tenant uses an id (issue 14, F7: charter.declare of another
 * tenant's id used to answer "taken by another tenant"). Every Redis key, compacted-topic key and
 * lease-index member of a charter's state is built from its scope. `protocol.requests` stays keyed
 * by the bare charter id: two tenants' charters of the same id share a partition, which orders
 * their calls together and costs nothing else.
 *
 * Neither a tenant (`^[a-z0-9][a-z0-9-]{0,62}$`) nor a charter id (`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`,
 * schemas/maestro/v1/defs.json) can hold a '/', so the scope splits back unambiguously.
 */

/** The scope of a tenant's charter: `<tenant>/<charterId>`. */
export function charterScope(tenant: string, charterId: string): string {
  return `${tenant}/${charterId}`;
}

/** The tenant and charter id of a scope; null for a string no scope looks like. */
export function parseCharterScope(scope: string): { tenant: string; charterId: string } | null {
  const at = scope.indexOf('/');
  if (at <= 0 || at === scope.length - 1) return null;
  return { tenant: scope.slice(0, at), charterId: scope.slice(at + 1) };
}
