import type { Logger } from '@maestro/bus';

/** Where a service is in its life; HTTP and readiness answer from it. */
export type LifecycleState = 'starting' | 'running' | 'draining' | 'stopped';

export interface Lifecycle {
  state(): LifecycleState;
  markRunning(): void;
  /** Registers a step of the shutdown; steps run in reverse order of registration. */
  onStop(name: string, step: () => Promise<void> | void): void;
  /**
   * Runs the shutdown once, bounded by the grace time. Resolves true when every step finished in
   * time, false when the grace ran out or a step failed. Calling it again returns the same promise.
   */
  shutdown(reason: string): Promise<boolean>;
}

export function createLifecycle(logger: Logger, graceMs: number): Lifecycle {
  let current: LifecycleState = 'starting';
  const steps: { name: string; step: () => Promise<void> | void }[] = [];
  let shuttingDown: Promise<boolean> | null = null;

  async function runSteps(): Promise<boolean> {
    let clean = true;
    for (const { name, step } of [...steps].reverse()) {
      try {
        await step();
        logger.debug({ step: name }, 'shutdown step done');
      } catch (error) {
        clean = false;
        logger.error({ err: error, step: name }, 'shutdown step failed');
      }
    }
    return clean;
  }

  return {
    state: () => current,
    markRunning() {
      if (current === 'starting') current = 'running';
    },
    onStop(name, step) {
      steps.push({ name, step });
    },
    shutdown(reason) {
      shuttingDown ??= (async () => {
        logger.info({ reason, graceMs }, 'shutting down');
        current = 'draining';
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => {
            logger.error({ graceMs }, 'graceful shutdown did not finish within the grace time');
            resolve(false);
          }, graceMs);
          timer.unref();
        });
        const clean = await Promise.race([runSteps(), timedOut]);
        clearTimeout(timer);
        current = 'stopped';
        logger.info({ clean }, 'stopped');
        return clean;
      })();
      return shuttingDown;
    },
  };
}
