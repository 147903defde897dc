/**
 * The life of one reception session (buổi tiếp), as a pure table: no I/O, no clock.
 * The session service persists every accepted transition together with its session event.
 */

export const sessionStates = [
  'scheduled',
  'preparing',
  'ready',
  'live',
  'ending',
  'closed',
  'failed',
  'aborted',
] as const;
export type SessionState = (typeof sessionStates)[number];

export const sessionTriggers = ['prepare', 'markReady', 'start', 'resume', 'end', 'finalize', 'fail', 'abort'] as const;
export type SessionTrigger = (typeof sessionTriggers)[number];

/** Facts the guards look at; the service gathers them before asking. A guard refuses when its fact is missing. */
export interface TransitionContext {
  /** Outcome of the latest readiness run for this session, if any. */
  readiness?: 'pass' | 'warn' | 'fail';
  /** A technician accepted a failed readiness run (e.g. the loopback speaker is broken but the session must go on). */
  readinessOverride?: boolean;
  /** The evidence store can hold the expected recording (never start what cannot be kept). */
  storageCanHold?: boolean;
}

export type TransitionOutcome =
  | { ok: true; from: SessionState; to: SessionState }
  | { ok: false; from: SessionState; code: 'not_allowed' | 'guard_failed'; reason: string };

interface Rule {
  from: readonly SessionState[];
  to: SessionState;
  /** Returns why the transition is refused, or undefined when it may proceed. */
  guard?: (context: TransitionContext) => string | undefined;
}

const beforeLive = ['scheduled', 'preparing', 'ready'] as const;

const rules: Record<SessionTrigger, Rule> = {
  prepare: { from: ['scheduled'], to: 'preparing' },
  markReady: {
    from: ['preparing'],
    to: 'ready',
    guard: (c) => {
      if (c.readiness === undefined) return 'no readiness test has run for this session';
      if (c.readiness === 'fail' && !c.readinessOverride)
        return 'the readiness test failed; fix the fault or have a technician override it';
      return undefined;
    },
  },
  // The officer may start from any pre-live state: readiness is checked and alerted on beforehand,
  // but a citizen waiting in the room is not sent home because a test was skipped.
  start: {
    from: beforeLive,
    to: 'live',
    // (A recorder that does not start never gets here: the service asks the media engine first.)
    guard: (c) => {
      if (c.storageCanHold === undefined) return "the disk has not been checked for this session's recording";
      if (!c.storageCanHold) return "the disk cannot hold this session's recording";
      return undefined;
    },
  },
  // After a daemon or media-worker crash the session stays live; the service records the gap.
  resume: { from: ['live'], to: 'live' },
  end: { from: ['live'], to: 'ending' },
  finalize: { from: ['ending'], to: 'closed' },
  fail: { from: ['preparing', 'ready', 'live', 'ending'], to: 'failed' },
  abort: { from: beforeLive, to: 'aborted' },
};

/** Asks whether `trigger` may move a session in state `from`, and where to. */
export function transition(
  from: SessionState,
  trigger: SessionTrigger,
  context: TransitionContext = {},
): TransitionOutcome {
  const rule = rules[trigger];
  if (!rule.from.includes(from)) {
    return { ok: false, from, code: 'not_allowed', reason: `cannot ${trigger} a session that is ${from}` };
  }
  const refused = rule.guard?.(context);
  if (refused) return { ok: false, from, code: 'guard_failed', reason: refused };
  return { ok: true, from, to: rule.to };
}

/** States in which the session still lies ahead (schedule edits and readiness runs apply). */
export function isUpcoming(state: SessionState): boolean {
  return (beforeLive as readonly SessionState[]).includes(state);
}

/** States no trigger leads out of: a failed session is not re-run, another one is scheduled. */
export function isFinished(state: SessionState): boolean {
  return state === 'closed' || state === 'aborted' || state === 'failed';
}
