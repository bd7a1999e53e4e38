/**
 * GET /console: the web console (console/, docs/console.md), bundled from its sources and npm
 * packages by esbuild when the gateway starts, and served from memory. Nothing is fetched from
 * anywhere but this gateway: the page's Content-Security-Policy allows its own origin only, and
 * the console reads the read API with the API token its user pastes once.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CONSOLE_DIR = fileURLToPath(new URL('../../../console/', import.meta.url));

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maestro console</title><link rel="stylesheet" href="/console/app.css"></head>
<body><div id="app"></div><script type="module" src="/console/app.js"></script></body></html>`;

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

export interface ConsoleBundle {
  readonly js: string;
  readonly css: string;
}

/** Bundles the console: one script and one stylesheet, minified. */
export async function buildConsole(): Promise<ConsoleBundle> {
  const result = await build({
    entryPoints: [`${CONSOLE_DIR}src/main.tsx`],
    tsconfig: `${CONSOLE_DIR}tsconfig.json`,
    bundle: true, minify: true, format: 'esm', target: 'es2020', platform: 'browser',
    jsx: 'automatic', jsxImportSource: 'preact',
    write: false, outdir: '/console-bundle', logLevel: 'silent',
  });
  const file = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: file('.js'), css: file('.css') };
}

/** Registers the console's routes; the bundle is built once, in the background, and awaited by the first request. */
export function registerConsoleRoute(app: FastifyInstance, logError: (fields: Record<string, unknown>, message: string) => void): void {
  const bundle = buildConsole();
  bundle.catch((error: unknown) => logError({ err: error }, 'could not bundle the console'));
  const page = async (_request: unknown, reply: FastifyReply) => reply.headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(PAGE);
  app.get('/console', page);
  app.get('/console/', page);
  app.get('/console/app.js', async (_request, reply) => reply.headers(SECURITY_HEADERS).type('text/javascript; charset=utf-8').send((await bundle).js));
  app.get('/console/app.css', async (_request, reply) => reply.headers(SECURITY_HEADERS).type('text/css; charset=utf-8').send((await bundle).css));
}
