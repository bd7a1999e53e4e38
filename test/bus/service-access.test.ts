/**
 * The Kafka access map (libs/bus/src/service-access.json) against the services' own declarations: a
 * service that declares a topic it has no ACL for would fail to start on an authenticated broker, and
 * one with ACLs for a topic it does not declare holds more than it needs. And the ACLs made from it.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { AclOperationTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { serviceAccess, serviceAcls } from '@maestro/bus';
import type { ServiceDefinition, ConfigSpec } from '@maestro/runtime';

const root = resolve(import.meta.dirname, '../..');
const serviceDirs = readdirSync(resolve(root, 'services'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

async function declaredTopics(service: string): Promise<string[]> {
  const module = (await import(resolve(root, 'services', service, 'src/service.ts'))) as { definition: ServiceDefinition<ConfigSpec> };
  // The runtime adds the audit topic to every service's own.
  return [...new Set([...module.definition.topics.map((t) => t.name), topics.audit.name])].sort();
}

function allowed(service: string, prefix: string, type: AclResourceTypes, name: string, operation: AclOperationTypes): boolean {
  return serviceAcls(service, prefix).some((a) => a.resourceType === type && a.resourceName === name && a.operation === operation);
}

describe('the Kafka access map', () => {
  it('names every service of the repository, and nothing else', () => {
    expect(Object.keys(serviceAccess).sort()).toEqual([...serviceDirs].sort());
  });

  it.each(serviceDirs)('gives %s access to exactly the topics its definition declares', async (service) => {
    const access = serviceAccess[service]!;
    const named = [...access.reads, ...access.writes, ...(access.creates ?? [])];
    const declared = await declaredTopics(service);
    // Dead-letter topics are declared through their source topic (the runtime creates both).
    expect([...new Set(named.filter((t) => !t.endsWith('.dlq')))].sort()).toEqual(declared);
    expect(named.filter((t) => t.endsWith('.dlq')).every((t) => declared.includes(t.slice(0, -'.dlq'.length)))).toBe(true);
  });

  it('lets only the gateway and the dispatcher write protocol.requests', () => {
    const writers = Object.keys(serviceAccess).filter((s) => allowed(s, 'p.', AclResourceTypes.TOPIC, 'p.protocol.requests', AclOperationTypes.WRITE));
    expect(writers.sort()).toEqual(['dispatcher', 'gateway']);
  });
});

describe('serviceAcls', () => {
  it('grants topics as LITERAL names under the prefix, so another prefix gets nothing', () => {
    const acls = serviceAcls('planner', 'tenant-a.');
    const topicAcls = acls.filter((a) => a.resourceType === AclResourceTypes.TOPIC);
    expect(topicAcls.every((a) => a.resourcePatternType === ResourcePatternTypes.LITERAL && a.resourceName.startsWith('tenant-a.'))).toBe(true);
    expect(acls.every((a) => a.principal === 'User:planner' && a.host === '*')).toBe(true);
  });

  it('lets a reader read its topic and dead-letter what it refuses, but not write the topic itself', () => {
    expect(allowed('planner', 'p.', AclResourceTypes.TOPIC, 'p.protocol.requests', AclOperationTypes.READ)).toBe(true);
    expect(allowed('planner', 'p.', AclResourceTypes.TOPIC, 'p.protocol.requests.dlq', AclOperationTypes.WRITE)).toBe(true);
    expect(allowed('planner', 'p.', AclResourceTypes.TOPIC, 'p.protocol.requests', AclOperationTypes.WRITE)).toBe(false);
    expect(allowed('planner', 'p.', AclResourceTypes.TOPIC, 'p.protocol.replies', AclOperationTypes.READ)).toBe(false);
  });

  it('lets a service create what it declares (topic and dead-letter topic), since services create missing topics at start', () => {
    for (const name of ['p.plans', 'p.plans.dlq', 'p.protocol.replies', 'p.protocol.replies.dlq']) {
      expect(allowed('planner', 'p.', AclResourceTypes.TOPIC, name, AclOperationTypes.CREATE)).toBe(true);
      expect(allowed('planner', 'p.', AclResourceTypes.TOPIC, name, AclOperationTypes.DESCRIBE)).toBe(true);
    }
    expect(allowed('planner', 'p.', AclResourceTypes.TOPIC, 'p.telemetry.raw', AclOperationTypes.CREATE)).toBe(false);
  });

  it('grants the groups named <prefix><service>… (PREFIXED) and no others', () => {
    const groups = serviceAcls('gateway', 'p.').filter((a) => a.resourceType === AclResourceTypes.GROUP);
    expect(groups.map((a) => [a.resourceName, a.resourcePatternType, a.operation])).toEqual([
      ['p.gateway', ResourcePatternTypes.PREFIXED, AclOperationTypes.READ],
      ['p.gateway', ResourcePatternTypes.PREFIXED, AclOperationTypes.DESCRIBE],
      ['p.gateway', ResourcePatternTypes.PREFIXED, AclOperationTypes.DELETE],
    ]);
  });

  it('refuses a service the map does not know, with its code', () => {
    expect(() => serviceAcls('intruder', 'p.')).toThrow(expect.objectContaining({ code: 'UNKNOWN_SERVICE' }));
  });
});
