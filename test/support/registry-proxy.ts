/**
 * A proxy in front of the stack's real schema registry whose answer to each request a test decides:
 * forward it, refuse it (401 without the expected credentials), or take it and never answer (a
 * registry that hangs). Counts what it did, so a test can say which requests got through.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stackEnv } from './environment';

export type ProxyAnswer = 'forward' | 'refuse' | 'swallow';

export interface RegistryProxy {
  /** The registry's API URL through the proxy (SCHEMA_REGISTRY_URL for a service). */
  readonly url: string;
  /** `METHOD path` of every request, per answer given. */
  readonly seen: Record<ProxyAnswer, string[]>;
  close(): Promise<void>;
}

export async function startRegistryProxy(decide: (req: IncomingMessage) => ProxyAnswer): Promise<RegistryProxy> {
  const upstream = new URL(stackEnv.SCHEMA_REGISTRY_URL);
  const seen: Record<ProxyAnswer, string[]> = { forward: [], refuse: [], swallow: [] };
  const swallowed: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    const answer = decide(req);
    seen[answer].push(`${req.method} ${req.url}`);
    if (answer === 'swallow') {
      swallowed.push(req);
      return;
    }
    if (answer === 'refuse') {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="registry"' });
      res.end(JSON.stringify({ error_code: 40101, message: 'Unauthorized' }));
      return;
    }
    const { authorization: _credentials, ...headers } = req.headers;
    const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', (error) => res.destroy(error));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${upstream.pathname}`,
    seen,
    close: async () => {
      for (const req of swallowed) req.socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
