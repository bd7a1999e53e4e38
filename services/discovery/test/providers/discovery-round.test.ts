/**
 * The providers and the core together, as the lead's wiring will use them: the catalog comes from
 * the providers, a poll round feeds `reconcile`, telemetry batches feed it too.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelemetrySample } from '@maestro/contracts';
import { emptyRegistry, reconcile, resolveDiscoveryConfig, sourcesOf } from '../../src/domain/index';
import type { RegistryState } from '../../src/domain/index';
import { createStaticFileProvider, createTelemetryImpliedProvider } from '../../src/providers/index';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'maestro-discovery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sample = (assetId: string, atMs: number): TelemetrySample => ({
  assetId, timestampMs: atMs, ingestedAtMs: atMs, metrics: {}, region: 'eu-west-1', provider: 'aws', labels: { team: 'agent', agent: 'v2' }, tenant: null,
});

describe('a discovery round', () => {
  it('merges the file over telemetry and publishes each change once', async () => {
    const path = join(dir, 'assets.json');
    await writeFile(path, JSON.stringify([{ assetId: 'svc-a', name: 'A', capabilities: ['gpu'], labels: { team: 'core' } }]));
    const file = createStaticFileProvider({ path });
    const telemetry = createTelemetryImpliedProvider();
    const config = resolveDiscoveryConfig({ sources: sourcesOf([file], [telemetry]), staleAfterMs: 60_000 });

    let state: RegistryState = emptyRegistry();
    const step = async (atMs: number, samples: TelemetrySample[] = []) => {
      const reports = [{ source: file.name, assets: await file.poll(atMs) }, { source: telemetry.name, assets: telemetry.observeSamples(samples) }];
      const outcome = reconcile(state, reports, atMs, config);
      state = outcome.state;
      return outcome.events.map((e) => `${e.assetId}:${e.change}`);
    };

    expect(await step(0, [sample('svc-a', 0), sample('svc-b', 0)])).toEqual(['svc-a:added', 'svc-b:added']);
    expect(state.assets['svc-a']?.published).toMatchObject({
      name: 'A', region: 'eu-west-1', provider: 'aws', capabilities: ['gpu'], labels: { team: 'core', agent: 'v2' }, sources: ['static', 'telemetry'],
    });
    expect(await step(30_000, [sample('svc-a', 30_000), sample('svc-b', 30_000)])).toEqual([]);
    expect(await step(100_000, [sample('svc-a', 100_000)])).toEqual(['svc-b:stale']);
    await writeFile(path, '[{"assetId": "svc-a", "name": "A"'); // caught mid-write: nothing changes
    expect(await step(110_000, [sample('svc-a', 110_000)])).toEqual([]);
    expect(file.lastPoll()?.outcome).toBe('cached');
  });
});
