/**
 * GET /console as the gateway serves it: the page, its script and stylesheet bundled from the
 * console's sources and npm packages, with a policy that lets the page reach its own origin only.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsoleRoute } from '../../services/gateway/src/console-route';

const app = Fastify();
const errors: unknown[] = [];

beforeAll(async () => {
  registerConsoleRoute(app, (fields) => errors.push(fields));
  await app.ready();
});
afterAll(() => app.close());

describe('the console route', () => {
  it('serves the page at /console and /console/ with a same-origin Content-Security-Policy', async () => {
    for (const url of ['/console', '/console/']) {
      const r = await app.inject({ url });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.headers['content-security-policy']).toContain("default-src 'self'");
      expect(r.headers['content-security-policy']).toContain("connect-src 'self'");
      expect(r.body).toContain('<script type="module" src="/console/app.js">');
    }
  });

  it('serves the bundle: the console\'s script (Preact, uPlot, the live stream reader) and its stylesheet, loading nothing from another host', async () => {
    const js = await app.inject({ url: '/console/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.body).toContain('/v1/events');
    expect(js.body).toContain('last-event-id');
    expect(js.body.length).toBeGreaterThan(20_000);
    // No import or fetch of anything outside the page's origin.
    expect(js.body).not.toMatch(/import\s*["'`]https?:|from\s*["'`]https?:|fetch\(\s*["'`]https?:/);
    const css = await app.inject({ url: '/console/app.css' });
    expect(css.statusCode).toBe(200);
    expect(css.body).toContain('.uplot');
    expect(css.body).not.toMatch(/@import|url\(\s*["']?https?:/);
    expect(errors).toEqual([]);
  });
});
