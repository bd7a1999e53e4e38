/**
 * Readiness: a service is ready when Kafka, the registry and Redis answer and its consumers have
 * joined their groups. Probes run on request but their answers are cached briefly, so an
 * orchestrator polling /readyz does not turn into load on the infrastructure.
 */
export type Probe = () => Promise<void> | void;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

export interface Readiness {
  add(name: string, probe: Probe): void;
  report(): Promise<ReadinessReport>;
}

export function createReadiness(options: { cacheMs?: number; timeoutMs?: number } = {}): Readiness {
  const probes = new Map<string, Probe>();
  const cacheMs = options.cacheMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  let cached: { at: number; report: Promise<ReadinessReport> } | null = null;

  async function run(name: string, probe: Probe): Promise<[string, { ok: boolean; error?: string }]> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(probe),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return [name, { ok: true }];
    } catch (error) {
      return [name, { ok: false, error: (error as Error).message }];
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    add(name, probe) {
      probes.set(name, probe);
      cached = null;
    },
    report() {
      const now = Date.now();
      if (cached && now - cached.at < cacheMs) return cached.report;
      const report = Promise.all([...probes].map(([name, probe]) => run(name, probe))).then((results) => ({
        ready: results.every(([, r]) => r.ok),
        checks: Object.fromEntries(results),
      }));
      cached = { at: now, report };
      return report;
    },
  };
}
