/**
 * What the console's browser tests share besides the browser (./chromium.ts): where their
 * screenshots go, a screenshot of the page on a failed step, and a free port for a gateway that a
 * test stops and starts again on the same address.
 */
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { beforeEach } from 'vitest';

export const CONSOLE_ARTIFACTS = resolve(import.meta.dirname, '../../.artifacts/console');

/**
 * Inside a describe: a failing step leaves the page as it was, to look at, as
 * .artifacts/console/failed-<test>.png.
 */
export function shotOnFailure(shot: (name: string) => Promise<unknown>): void {
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      await shot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });
}

/** A port nothing listens on now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  await new Promise((res) => server.close(res));
  return port;
}
