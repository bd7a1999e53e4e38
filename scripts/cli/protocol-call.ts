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
  env.out(`HTTP ${answer.status}\n${typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body, null, 2)}\n`);
  return answer.status;
}
