/**
 * What the console's browser tests share besides the browser (./chromium.ts): where their
 * screenshots go, a screenshot of the page on a failed step, a free port for a gateway that a
 * test stops and starts again on the same address, and a wait for the list requests an action sets off.
 */
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { beforeEach, expect } from 'vitest';

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

/** How long no list request may be in flight before the lists an action set off count as read. */
const LIST_QUIET_MS = 300;

/**
 * Runs `action` and waits until the list requests it set off have all been answered: at least one
 * request to the read API (not the live stream) started after it, and none has been in flight for
 * {@link LIST_QUIET_MS} (a list is read page by page, one request after another). Waiting for
 * the header's "loading history" to go away is not enough: a check made before the click's render
 * finds it absent and passes, and a history still paging in then meets whatever the test does next
 * (a gateway stopped while it drains answers it 503 and brings back a banner).
 */
export async function awaitListRequests(page: Page, action: () => Promise<unknown>, timeoutMs = 30_000): Promise<void> {
  const isList = (request: Request) => {
    const { pathname } = new URL(request.url());
    return pathname.startsWith('/v1/') && pathname !== '/v1/events';
  };
  let started = 0;
  let lastDoneMs = 0;
  const inFlight = new Set<Request>();
  const onRequest = (request: Request) => {
    if (!isList(request)) return;
    started++;
    inFlight.add(request);
  };
  const onDone = (request: Request) => {
    if (inFlight.delete(request)) lastDoneMs = Date.now();
  };
  page.on('request', onRequest);
  page.on('requestfinished', onDone);
  page.on('requestfailed', onDone);
  try {
    await action();
    await expect.poll(() => started > 0 && inFlight.size === 0 && Date.now() - lastDoneMs >= LIST_QUIET_MS, { timeout: timeoutMs }).toBe(true);
  } finally {
    page.off('request', onRequest);
    page.off('requestfinished', onDone);
    page.off('requestfailed', onDone);
  }
}
