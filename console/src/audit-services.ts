/**
 * The services whose audit records the Audit view can narrow to (the read API's `service`
 * parameter): those the bus lets write the `audit` topic (libs/bus/src/service-access.json). The
 * console bundles nothing from the services' code, so the list is written here and a test
 * (test/console/audit-services.test.ts) holds it to that file.
 */
export const AUDIT_SERVICES: readonly string[] = ['healer', 'executor', 'optimizer', 'router', 'detector', 'discovery', 'ingest', 'gateway', 'planner', 'dispatcher'];
