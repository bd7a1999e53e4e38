import type { HealthSignal } from '@maestro/contracts';

/** A deterministic noise source, so a failing run can be replayed exactly. */
export function seededNoise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

/** A health signal with one latency reading, as an agent would send it. */
export function latencySignal(assetId: string, timestampMs: number, latencyMs: number, labels: Record<string, string> = {}): HealthSignal {
  return { assetId, timestampMs, metrics: { latency_ms: latencyMs }, region: 'eu-west-1', provider: 'aws', labels, tenant: null, receivedAtMs: null };
}

/**
 * `count` samples per asset around `level` (noise ±2), ending just before now, one every `stepMs`:
 * enough history for the detector to learn a baseline, recent enough for ingest to accept.
 */
export function warmUp(assets: readonly string[], count: number, options: { level?: number; stepMs?: number; seed?: number; labels?: Record<string, Record<string, string>> } = {}): HealthSignal[] {
  const { level = 50, stepMs = 200, seed = 42 } = options;
  const noise = seededNoise(seed);
  const start = Date.now() - count * stepMs;
  const out: HealthSignal[] = [];
  for (let i = 0; i < count; i++) {
    for (const asset of assets) out.push(latencySignal(asset, start + i * stepMs, level + noise() * 4, options.labels?.[asset] ?? {}));
  }
  return out;
}
