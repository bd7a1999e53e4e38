import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_SERVICES } from '../../console/src/audit-services';

describe('the Audit view\'s services', () => {
  it('are the services the bus lets write the audit topic', () => {
    const access = JSON.parse(readFileSync(new URL('../../libs/bus/src/service-access.json', import.meta.url), 'utf8')) as Record<string, { writes?: string[] }>;
    const writers = Object.entries(access).filter(([, grants]) => grants.writes?.includes('audit')).map(([service]) => service);
    expect([...AUDIT_SERVICES].sort()).toEqual(writers.sort());
  });
});
