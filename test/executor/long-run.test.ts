import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { eventually } from '../support/environment';
import { spawnService } from '../support/services';
import { executorEntry, fileLines, healingAction, useExecutorRig } from './executor-fixtures';

const rig = useExecutorRig('exec-long');
const { prefix, running } = rig;
const ledger = join(rig.dir, 'ledger');

// A run of 14 s against a 6 s session: kafkajs sends no heartbeat while the batch runs, so the group
// gives the partition to the other replica while the first is still running the command.
const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, EXECUTOR_LEASE_MS: '2000', KAFKA_SESSION_TIMEOUT_MS: '6000',
  EXECUTOR_RUNNERS: JSON.stringify({
    runners: { slow: { type: 'command', command: '/bin/sh', args: ['-c', 'echo "$MAESTRO_ACTION_ID" >> "$LEDGER"; sleep 14; echo done'], env: { LEDGER: ledger }, timeoutMs: 30_000 } },
    strategies: { '*': 'slow' },
  }),
};
const lines = () => fileLines(ledger);

describe('executor: a run that outlasts the consumer session', () => {
  it('the replica that gets the partition waits on the live lease and never runs the action a second time', async () => {
    const first = await spawnService(executorEntry, { ...env, MAESTRO_REPLICA_ID: 'long-a' });
    running.push(first);
    expect(first.output.join('\n')).toMatch(/a run of this runner can outlast the consumer session/);
    await rig.bus.producer.send(topics.healingActions, [{ key: 'db-1', value: healingAction('an-long#0', 'db-1', 'failover') }]);
    await eventually(() => lines().includes('an-long#0'), 30_000, 'the command to start');
    const second = await spawnService(executorEntry, { ...env, MAESTRO_REPLICA_ID: 'long-b' });
    running.push(second);

    const result = await eventually(async () => (await rig.bus.readValues(topics.healingResults)).find((r) => r.actionId === 'an-long#0'), 60_000, 'the result');
    expect(result).toMatchObject({ status: 'succeeded', output: 'done\n' });
    // The second replica was handed the record while the first still ran it: it waited, then found it done.
    await eventually(async () => (await rig.bus.readValues(topics.audit)).find((a) => a.kind === 'executor.refusal' && a.outcome === 'duplicate'), 60_000, 'the second replica to see the action reported');
    expect(second.output.join('\n')).toMatch(/executor long-a is running it/);
    expect(lines()).toEqual(['an-long#0']);
    expect((await rig.bus.readValues(topics.healingResults)).filter((r) => r.actionId === 'an-long#0')).toHaveLength(1);
  });
});
