import { describe, expect, it } from 'vitest';
import { planAfterClaim, type Claim } from '../../src/domain';

const command = { name: 'restart-cmd', idempotent: false };
const webhook = { name: 'notify', idempotent: true };
const crashed: Claim = { status: 'taken_over', runs: 2, previousOwner: 'exec-a' };

describe('what to do with a claim', () => {
  it('runs a fresh claim', () => {
    expect(planAfterClaim({ status: 'claimed' }, command)).toEqual({ kind: 'run' });
  });

  it('does not run a command again after its executor died mid-run: the outcome is unknown', () => {
    const step = planAfterClaim(crashed, command);
    expect(step.kind).toBe('record_unknown');
    expect(step.kind === 'record_unknown' && step.reason).toMatch(/exec-a stopped while running it.*restart-cmd is not idempotent/);
  });

  it('runs an idempotent runner again after a crash (the receiver dedupes on the action id)', () => {
    expect(planAfterClaim(crashed, webhook)).toEqual({ kind: 'run' });
    expect(planAfterClaim(crashed, null)).toEqual({ kind: 'run' });
  });

  it('waits while another executor holds a live lease, republishes a stored result, skips a published one', () => {
    expect(planAfterClaim({ status: 'held', owner: 'exec-b', remainingMs: 1200 }, command)).toEqual({ kind: 'wait', reason: 'executor exec-b is running it (lease 1200 ms left)' });
    expect(planAfterClaim({ status: 'finished', resultJson: '{}' }, command)).toEqual({ kind: 'republish', resultJson: '{}' });
    expect(planAfterClaim({ status: 'published' }, command).kind).toBe('skip_duplicate');
  });
});

describe('actions too old to carry out', () => {
  it('expires a fresh claim on an action decided longer ago than the limit, and only a fresh one', () => {
    const step = planAfterClaim({ status: 'claimed' }, command, { ageMs: 900_001, maxAgeMs: 900_000 });
    expect(step).toEqual({ kind: 'expire', reason: 'decided 900001 ms ago, more than EXECUTOR_MAX_ACTION_AGE_MS (900000): too old to carry out' });
    expect(planAfterClaim({ status: 'claimed' }, command, { ageMs: 900_000, maxAgeMs: 900_000 })).toEqual({ kind: 'run' });
    // A takeover is about an action some executor already started: the crash rules apply, not age.
    expect(planAfterClaim(crashed, command, { ageMs: 10 ** 9, maxAgeMs: 900_000 }).kind).toBe('record_unknown');
  });
});
