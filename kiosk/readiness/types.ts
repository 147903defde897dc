import type { Label } from '../messages/label.js';

/** The checks of a readiness test (kiểm thử), in the order they are shown. */
export const checkIds = [
  'camera',
  'ptz',
  'microphone',
  'loopback',
  'display',
  'ups',
  'disk',
  'network',
  'clock',
  'test-recording',
] as const;
export type CheckId = (typeof checkIds)[number];

/** `unsupported`: this room or mode cannot run the check at all; shown, but does not fail the run. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unsupported';
export type RunOutcome = 'pass' | 'warn' | 'fail';

export interface Measurement {
  value: number | string | boolean | null;
  unit?: string;
}

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  measured: Measurement;
  /** A plain sentence for the technician: what was found and, when not passing, what to do. */
  explanation: Label;
  durationMs: number;
}

/** What a single check returns; the runner adds the id and the time taken. */
export type CheckOutcome = Omit<CheckResult, 'id' | 'durationMs'>;

/** The session a run prepares for, if any: its length sets the UPS and disk needs, its chairing site the latency target. */
export interface ReadinessTarget {
  sessionId: string | null;
  durationSeconds: number;
  endpoint?: { host: string; port: number };
}

export interface ReadinessCheck {
  id: CheckId;
  /** The runner gives up on the check after this long (reported as fail). */
  timeoutMs: number;
  /** Devices the check opens exclusively (a V4L2 camera admits one reader): checks sharing one run one after another. */
  uses?: readonly ('camera' | 'microphone' | 'speaker')[];
  run(target: ReadinessTarget, signal: AbortSignal): Promise<CheckOutcome>;
}

/** 1 day before, 2 hours before (seed 003 art. 6.1a/c), or asked for. */
export type RunKind = 'day-before' | 'two-hours' | 'on-demand';
export type RunTrigger = 'scheduler' | 'console' | 'kiosk' | 'fleet';

export interface ReadinessRun {
  id: string;
  sessionId: string | null;
  kind: RunKind;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string;
  overall: RunOutcome;
  results: CheckResult[];
}

/** Published on the app bus when a run finishes (the fleet client forwards it). */
export type ReadinessCompleted = ReadinessRun;

/** Published when a run right before a session fails: someone must act now. */
export interface ReadinessAlert {
  runId: string;
  sessionId: string | null;
  kind: RunKind;
  failed: CheckId[];
  message: Label;
}

/** What the readiness service publishes. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /** A readiness test (kiểm thử) finished, whatever its outcome: the fleet shows it. */
    readinessCompleted: [run: ReadinessCompleted];
    /** The readiness test 2 hours before a session failed: the technician must act. */
    readinessAlert: [alert: ReadinessAlert];
  }
}
