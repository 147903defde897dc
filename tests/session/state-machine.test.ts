import { describe, expect, it } from 'vitest';
import {
  isFinished,
  isUpcoming,
  sessionStates,
  sessionTriggers,
  transition,
  type SessionState,
  type SessionTrigger,
  type TransitionContext,
} from '../../kiosk/session/state-machine.js';

type Case = [
  from: SessionState,
  trigger: SessionTrigger,
  context: TransitionContext,
  expected: SessionState | 'not_allowed' | 'guard_failed',
];

const cases: Case[] = [
  ['scheduled', 'prepare', {}, 'preparing'],
  ['preparing', 'markReady', { readiness: 'pass' }, 'ready'],
  ['preparing', 'markReady', { readiness: 'warn' }, 'ready'],
  ['preparing', 'markReady', { readiness: 'fail' }, 'guard_failed'],
  ['preparing', 'markReady', { readiness: 'fail', readinessOverride: true }, 'ready'],
  ['preparing', 'markReady', {}, 'guard_failed'],
  ['scheduled', 'markReady', { readiness: 'pass' }, 'not_allowed'],
  ['scheduled', 'start', { storageCanHold: true }, 'live'],
  ['preparing', 'start', { storageCanHold: true }, 'live'],
  // A guard refuses when its fact is missing: a start nobody checked the disk for does not go live.
  ['ready', 'start', {}, 'guard_failed'],
  ['ready', 'start', { storageCanHold: false }, 'guard_failed'],
  ['live', 'start', { storageCanHold: true }, 'not_allowed'],
  ['closed', 'start', {}, 'not_allowed'],
  ['live', 'resume', {}, 'live'],
  ['ready', 'resume', {}, 'not_allowed'],
  ['live', 'end', {}, 'ending'],
  ['ready', 'end', {}, 'not_allowed'],
  ['ending', 'finalize', {}, 'closed'],
  ['live', 'finalize', {}, 'not_allowed'],
  ['live', 'fail', {}, 'failed'],
  ['ending', 'fail', {}, 'failed'],
  ['preparing', 'fail', {}, 'failed'],
  ['scheduled', 'fail', {}, 'not_allowed'],
  ['closed', 'fail', {}, 'not_allowed'],
  ['scheduled', 'abort', {}, 'aborted'],
  ['ready', 'abort', {}, 'aborted'],
  ['live', 'abort', {}, 'not_allowed'],
  ['aborted', 'abort', {}, 'not_allowed'],
];

describe('session state machine', () => {
  it.each(cases)('%s --%s(%j)--> %s', (from, trigger, context, expected) => {
    const outcome = transition(from, trigger, context);
    if (expected === 'not_allowed' || expected === 'guard_failed') {
      expect(outcome).toMatchObject({ ok: false, from, code: expected });
      expect(outcome.ok || outcome.reason.length > 0).toBe(true);
    } else {
      expect(outcome).toEqual({ ok: true, from, to: expected });
    }
  });

  it('lets nothing leave a finished state', () => {
    for (const state of sessionStates.filter(isFinished)) {
      const leaving = sessionTriggers.filter(
        (trigger) => transition(state, trigger, { storageCanHold: true, readiness: 'pass' }).ok,
      );
      expect(leaving).toEqual([]);
    }
  });

  it('names the upcoming states', () => {
    expect(sessionStates.filter(isUpcoming)).toEqual(['scheduled', 'preparing', 'ready']);
  });
});
