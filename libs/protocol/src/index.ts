export { createProtocolHandler, infra, InfraError, INTERNAL, ok, refused, type Answer, type Decision, type Operation, type ProtocolHandlerDeps } from './protocol-handler';
export { heldStateKey, replayCompacted, type HeldCharter, type ReplayEntry, type ReplayOptions } from './compacted-replay';
export { createReplayGuard, type ReplayGuard, type ReplayGuardOptions } from './replay-guard';
export { commitState, queueSetIfNewer, type AppliedEntry, type CommitResult, type StateCommit } from './state-commit';
export { serveProtocol, type ProtocolServiceOptions } from './protocol-service';
export { compileMaestroValidators, schemaProblems, type MaestroValidators, type SchemaError, type SchemaOperation, type Validator } from './payload-validation';
export { charterScope, parseCharterScope } from './charter-scope';
export { isOwnedOperation, OPERATION_OWNERS, UNOWNED_OPERATIONS_ANSWERED_BY } from './operation-owners';
export { isPermanentStoreError, StoreError } from './store-errors';
