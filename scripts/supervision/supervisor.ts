/**
 * Runs a set of long-lived processes and keeps them running: one that dies unasked is started again
 * after a backoff (./restart-backoff.ts); `stop()` sends SIGTERM to each, waits up to a grace period,
 * then SIGKILLs what is left. Each process leads its own process group, so whatever it spawned (the
 * executor's command runners) is signalled with it, and a terminal's Ctrl-C reaches the supervisor
 * alone, which then stops everything in order instead of every process at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { defaultRestartBackoff, nextRestart, type RestartBackoff } from './restart-backoff';

export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface SupervisorEvents {
  /** A process (re)started; `restarts` is 0 for the first start. */
  started?(name: string, pid: number, restarts: number): void;
  /** One line of a process's stdout or stderr, without its newline. */
  line?(name: string, line: string): void;
  /** A process died unasked and will be started again in `restartInMs`. */
  died?(name: string, exit: { code: number | null; signal: NodeJS.Signals | null }, restartInMs: number): void;
  /** Raw output, for a log file. */
  output?(name: string, chunk: Buffer): void;
}

export interface SupervisorOptions {
  readonly processes: readonly ProcessSpec[];
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  readonly stopGraceMs: number;
  readonly backoff?: RestartBackoff;
  readonly events?: SupervisorEvents;
}

export interface Supervisor {
  /** Starts every process. */
  start(): void;
  /** Stops every process (and stops restarting them); resolves once all have exited. Safe to call twice. */
  stop(): Promise<void>;
  /** The pid of a running process, or undefined between a death and its restart. */
  pidOf(name: string): number | undefined;
}

interface Slot {
  readonly spec: ProcessSpec;
  child?: ChildProcess;
  startedAtMs: number;
  quickDeaths: number;
  restarts: number;
  restartTimer?: NodeJS.Timeout;
}

/** Signals a process's whole group; the group may already be gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group has exited already.
  }
}

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const backoff = options.backoff ?? defaultRestartBackoff;
  const events = options.events ?? {};
  const slots = new Map<string, Slot>(options.processes.map((spec) => [spec.name, { spec, startedAtMs: 0, quickDeaths: 0, restarts: 0 }]));
  let stopping: Promise<void> | null = null;

  function launch(slot: Slot): void {
    const { spec } = slot;
    const child = spawn(spec.command, [...spec.args], { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    slot.child = child;
    slot.startedAtMs = Date.now();
    let pending = '';
    const onData = (chunk: Buffer) => {
      events.output?.(spec.name, chunk);
      pending += chunk.toString();
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        events.line?.(spec.name, pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (error) => events.line?.(spec.name, `could not start: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (slot.child === child) slot.child = undefined;
      if (stopping) return;
      const next = nextRestart(Date.now() - slot.startedAtMs, slot.quickDeaths, backoff);
      slot.quickDeaths = next.quickDeaths;
      events.died?.(spec.name, { code, signal }, next.delayMs);
      slot.restartTimer = setTimeout(() => {
        slot.restartTimer = undefined;
        if (stopping) return;
        slot.restarts++;
        launch(slot);
      }, next.delayMs);
    });
    if (child.pid !== undefined) events.started?.(spec.name, child.pid, slot.restarts);
  }

  function exited(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  return {
    start() {
      for (const slot of slots.values()) launch(slot);
    },
    stop() {
      stopping ??= (async () => {
        const running: ChildProcess[] = [];
        for (const slot of slots.values()) {
          if (slot.restartTimer) clearTimeout(slot.restartTimer);
          if (slot.child) running.push(slot.child);
        }
        for (const child of running) signalGroup(child, 'SIGTERM');
        const killer = setTimeout(() => {
          for (const child of running) signalGroup(child, 'SIGKILL');
        }, options.stopGraceMs);
        await Promise.all(running.map(exited));
        clearTimeout(killer);
      })();
      return stopping;
    },
    pidOf: (name) => slots.get(name)?.child?.pid,
  };
}
