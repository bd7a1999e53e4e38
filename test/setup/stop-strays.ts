/**
 * Runs in every integration file: its afterAll is registered before the file's own, so it runs after
 * them and finds only what they did not stop (test/support/services.ts `stopStrays`).
 */
import { afterAll } from 'vitest';
import { stopStrays } from '../support/services';

afterAll(async () => {
  const stopped = await stopStrays();
  // A file that stops its services itself leaves nothing here; say so when it did not.
  if (stopped.length > 0) console.warn(`[stop-strays] stopped ${stopped.length} process(es) the file left running: ${stopped.join(', ')}`);
}, 30_000);
