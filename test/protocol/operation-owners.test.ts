/**
 * The catalog that tells the planner which operations have no owner (libs/protocol
 * operation-owners.ts) must list exactly what each service serves: an operation missing from it would
 * be refused by the planner while its owner applies it, and one listed but not served would be
 * answered by nobody again.
 */
import { describe, expect, it } from 'vitest';
import { compileMaestroValidators, OPERATION_OWNERS } from '@maestro/protocol';
import { createKeyspace, type Redis } from '@maestro/state';
import { createPlannerOperations } from '../../services/planner/src/operations';
import { createPlanStore } from '../../services/planner/src/plan-state';
import { createDispatcherOperations } from '../../services/dispatcher/src/operations';

// Building the operation tables touches no store: only their names are read here.
const unused = {} as Redis;
const keys = createKeyspace('owners-test.');

describe('the operation owners catalog', () => {
  it('lists each service\'s operations, and every published operation has an owner', () => {
    const planner = Object.keys(createPlannerOperations({ store: createPlanStore(unused, keys), keys, now: Date.now }));
    const dispatcher = Object.keys(createDispatcherOperations({ redis: unused, keys, now: Date.now, config: {} }));
    const owned = (service: string) => Object.entries(OPERATION_OWNERS).filter(([, owner]) => owner === service).map(([op]) => op).sort();
    expect(owned('planner')).toEqual([...planner].sort());
    expect(owned('dispatcher')).toEqual([...dispatcher].sort());
    expect(Object.keys(compileMaestroValidators().payload).filter((op) => !Object.hasOwn(OPERATION_OWNERS, op))).toEqual([]);
  });
});
