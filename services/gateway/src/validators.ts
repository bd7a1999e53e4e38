/**
 * The Ajv adapter of the validate stage: the published schemas compiled once at boot, by the same
 * function the planner and dispatcher use for requests they read from Kafka (libs/protocol), so the
 * gateway and the services can never disagree on what a valid payload is.
 */
import { compileMaestroValidators } from '@maestro/protocol';
import type { OperationName, Validator } from './domain';

/** The envelope validator and each operation's payload validator. */
export interface Validators {
  readonly body: Validator;
  readonly payload: Readonly<Record<OperationName, Validator>>;
}

export function compileValidators(): Validators {
  return compileMaestroValidators();
}
