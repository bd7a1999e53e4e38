import { describe, expect, it } from 'vitest';
import type { ProtocolReply } from '@maestro/contracts';
import { answersAttempt } from '../src/dispatch';

const DEADLINE = 1_700_000_010_000;
const reply = (over: Partial<ProtocolReply>): ProtocolReply => ({
  correlationId: 'c-1', replyTo: 'gw-1', status: 'ok', resultJson: '{}', refusalCode: null, reasons: [], detailsJson: null, service: 'planner', cpuMicros: 1, repliedAtMs: 0, ...over,
});
const late = (deadlineAtMs: unknown) => reply({ status: 'refused', resultJson: null, refusalCode: 'deadline_exceeded', detailsJson: JSON.stringify({ deadlineAtMs, decidedAtMs: DEADLINE + 5 }) });

describe('answersAttempt: which reply with a shared correlation id answers this attempt', () => {
  it.each([
    { name: 'a result (the kept reply of whichever attempt was applied)', reply: reply({}), answers: true },
    { name: 'a refusal other than the deadline', reply: reply({ status: 'refused', refusalCode: 'version_conflict', detailsJson: JSON.stringify({ deadlineAtMs: 1 }) }), answers: true },
    { name: 'the deadline refusal of this attempt', reply: late(DEADLINE), answers: true },
    { name: 'the deadline refusal of an earlier attempt, read late behind a paused service', reply: late(DEADLINE - 3_000), answers: false },
    { name: 'a deadline refusal that names no deadline', reply: late(undefined), answers: true },
    { name: 'a deadline refusal with unreadable details', reply: reply({ status: 'refused', refusalCode: 'deadline_exceeded', detailsJson: '{' }), answers: true },
  ])('$name → $answers', ({ reply: r, answers }) => {
    expect(answersAttempt(r, DEADLINE)).toBe(answers);
  });
});
