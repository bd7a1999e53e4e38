/**
 * Whose assets a job may be placed on. Routing is scoped to one tenant: a job is decided against
 * the pool of its own tenant's assets only, so a decision (chosen, runner-up, fallbacks, rejections,
 * counts) can never name, or reveal the existence of, another tenant's asset.
 *
 * A record that carries no tenant (written before tenants, or straight to Kafka) belongs to
 * {@link DEFAULT_TENANT}, the same reading the read model gives it (services/projector): an
 * unowned asset serves only jobs of the default tenant, and a job without a tenant sees only
 * unowned or default-tenant assets.
 */

/** The tenant of a record with no tenant, or a blank one. */
export const DEFAULT_TENANT = 'default';

/** The tenant a record belongs to: its own field when set and not blank, else {@link DEFAULT_TENANT}. */
export function tenantOf(tenant: string | null | undefined): string {
  return tenant && tenant.trim() !== '' ? tenant : DEFAULT_TENANT;
}
