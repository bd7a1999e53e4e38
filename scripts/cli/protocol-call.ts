/** `call <operation>`: one signed MAESTRO protocol call, as the gateway verifies it. */
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { signRequest } from '../../services/gateway/src/domain';
import { UsageError } from './arguments';
import type { Command } from './commands';
import { keyPath, readTrustStore, type CliEnvironment } from './credentials';
import { gatewayRequest } from './gateway-client';

/** The payload text: inline, or a file that must exist (a missing file is a usage error naming it). */
export function payloadText(command: Pick<Extract<Command, { kind: 'call' }>, 'payload' | 'payloadFile'>): string {
  if (command.payload !== null) return command.payload;
  const path = command.payloadFile!;
  if (!existsSync(path)) throw new UsageError(`the payload file '${path}' does not exist`, 'call');
  return readFileSync(path, 'utf8');
}

/** Signs and sends one call; returns the HTTP status. */
export async function call(env: CliEnvironment, command: Extract<Command, { kind: 'call' }>): Promise<number> {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText(command));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`the payload is not JSON: ${error instanceof Error ? error.message : String(error)}`, 'call');
  }
  const entry = readTrustStore(env.home)[command.as];
  if (!entry || !existsSync(keyPath(env.home, command.as))) throw new UsageError(`no caller '${command.as}' in ${env.home}; create it with: caller add ${command.as} --tenant <tenant>`, 'call');
  const body = signRequest(readFileSync(keyPath(env.home, command.as), 'utf8'), {
    operation: command.operation, caller: command.as, tenant: entry.tenant, capability: `map.maestro.${command.operation}`,
    timestampMs: Date.now(), nonce: randomUUID(), payload,
  });
  const answer = await gatewayRequest(env.gatewayUrl, `/v1/protocol/maestro.${command.operation}`, {
    method: 'POST', body, ...(command.idempotencyKey ? { headers: { 'idempotency-key': command.idempotencyKey } } : {}),
  });
  const whole = `HTTP ${answer.status}\n${typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body, null, 2)}\n`;
  if (command.get === null) {
    env.out(whole);
    return answer.status;
  }
  // For a script: the one value on stdout, or nothing there and the whole answer on stderr.
  const ok = answer.status >= 200 && answer.status < 300;
  const value = ok ? valueAt(answer.body, command.get) : undefined;
  if (!ok) {
    process.stderr.write(whole);
    return answer.status;
  }
  if (value === undefined) throw new Error(`the answer has nothing at ${command.get}:\n${whole}`);
  env.out(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  return answer.status;
}

/** The value at a dotted path (`result.workOrders.0.workOrderId`; a number indexes an array), or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  let at: unknown = root;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}
