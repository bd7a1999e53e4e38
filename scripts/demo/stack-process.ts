/**
 * The stack under the demo is `npm start`'s own (scripts/start.ts): Kafka, the registry and Redis,
 * every service under the supervisor, with the environment the demo adds (live healing, the
 * webhook runner, its credentials). Its output is passed through; the service URLs are read from
 * its "Maestro is up" announcement.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '../..');

export interface StackProcess {
  /** Service name → URL, once every service is ready. */
  readonly ready: Promise<ReadonlyMap<string, string>>;
  /** Resolves when the stack process has exited. */
  readonly exited: Promise<number | null>;
  /** Stops every service gracefully (start.ts's own SIGTERM handling) and waits. */
  stop(): Promise<void>;
}

export function startStack(env: NodeJS.ProcessEnv, print: (line: string) => void): StackProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'scripts/start.ts')], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches the demo, which stops the stack in order.
    detached: true,
  });
  const urls = new Map<string, string>();
  let announcing = false;
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const ready = new Promise<ReadonlyMap<string, string>>((done, fail) => {
    const onLine = (line: string) => {
      print(line);
      if (line.startsWith('Maestro is up')) announcing = true;
      const service = announcing ? /^\s+(\w+)\s+(http:\/\/\S+)$/.exec(line) : null;
      if (service) urls.set(service[1]!, service[2]!);
      if (announcing && line.startsWith('Logs:')) done(urls);
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', print);
    void exited.then((code) => fail(new Error(`the stack (scripts/start.ts) exited with code ${code} before every service was ready`)));
  });
  ready.catch(() => {});
  return {
    ready,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
