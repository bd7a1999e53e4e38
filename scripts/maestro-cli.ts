/**
 * `npm run maestro -- <command>`: see what Maestro decided and talk to it without writing code.
 * `npm run maestro -- --help` lists the commands, `<command> --help` shows one with an example.
 *
 *   caller add / token add   credentials in <home> (MAESTRO_HOME, default .maestro) for the gateway
 *   call <operation>         a signed MAESTRO protocol call
 *   tail <what>              decisions read from Kafka, decoded through the schema registry
 *   assets                   the asset registry (read API with a token, else the assets topic)
 *   job submit               a job for the router, answered with its decision
 *   plan show                a goal's schedule as a text Gantt chart
 *
 * This file only dispatches; the commands live in scripts/cli/. Exit status: 0 done, 1 failed
 * (a refusal, an unreachable gateway or broker), 2 a usage mistake (with the command's usage).
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { operationNames } from '../services/gateway/src/domain';
import { UsageError } from './cli/arguments';
import { connectBus, explainBusFailure, withLocalStackCredentials, type BusConnection } from './cli/bus-connection';
import { parseCommand } from './cli/commands';
import { addCaller, addToken, type CliEnvironment } from './cli/credentials';
import { commandHelp, overviewHelp } from './cli/help';
import { call } from './cli/protocol-call';
import { listAssets, showPlan, submitJob } from './cli/read-commands';
import { runTail } from './cli/tail-command';

export { UsageError } from './cli/arguments';
export { parseCommand, type Command } from './cli/commands';
export { addCaller, addToken, tokensPath, type CliEnvironment } from './cli/credentials';
export { call } from './cli/protocol-call';

/** Resolves on the first Ctrl-C (or SIGTERM), so a follow ends cleanly: consumer left, group deleted. */
function interrupted(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}

async function run(argv: readonly string[], env: CliEnvironment): Promise<number> {
  const command = parseCommand(argv);
  const print = (line: string) => env.out(`${line}\n`);
  let bus: BusConnection | null = null;
  const busOnce = () => (bus ??= connectBus(withLocalStackCredentials(process.env)));
  const token = (given: string | null) => given ?? (process.env.MAESTRO_TOKEN || null);
  switch (command.kind) {
    case 'help':
      env.out(command.command ? commandHelp(command.command) : overviewHelp(operationNames));
      return 0;
    case 'caller-add':
      addCaller(env, command);
      return 0;
    case 'token-add':
      addToken(env, command);
      return 0;
    case 'call': {
      const status = await call(env, command);
      return status >= 200 && status < 300 ? 0 : 1;
    }
    case 'tail':
      return onBus(() => runTail(busOnce(), {
        target: command.target, assetId: command.assetId, follow: command.follow, json: command.json,
        startMs: command.sinceMs === null ? null : Date.now() - command.sinceMs,
      }, print, interrupted()));
    case 'assets':
      return onBus(() => listAssets({ ...command, token: token(command.token) }, env.gatewayUrl, busOnce, print));
    case 'job-submit':
      return submitJob({ ...command, token: token(command.token) }, env.gatewayUrl, print);
    case 'plan-show':
      return onBus(() => showPlan(command, busOnce(), print));
  }

  /** Runs a command that reads the bus, saying which part of the stack did not answer if one did not. */
  async function onBus(action: () => Promise<number>): Promise<number> {
    try {
      return await action();
    } catch (error) {
      throw bus ? explainBusFailure(error, bus) : error;
    }
  }
}

async function main(): Promise<number> {
  const env: CliEnvironment = {
    home: resolve(process.env.MAESTRO_HOME ?? join(import.meta.dirname, '..', '.maestro')),
    gatewayUrl: (process.env.MAESTRO_GATEWAY_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, ''),
    out: (text) => process.stdout.write(text),
  };
  try {
    return await run(process.argv.slice(2), env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`maestro: ${error.message}\n\n${error.command ? commandHelp(error.command) : overviewHelp(operationNames)}`);
      return 2;
    }
    process.stderr.write(`maestro: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // kafkajs keeps sockets and timers open after a disconnect race; the exit status is the answer.
  process.exit(await main());
}
