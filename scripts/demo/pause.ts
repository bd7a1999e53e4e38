/** The demo's one way to wait: every loop of it stops at once when the demo is stopped. */

/** Waits `ms`, or less when `signal` aborts; leaves no listener behind either way. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
