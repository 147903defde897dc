/**
 * What each audience may see of a session. Pure functions of stored records: the only way a
 * confidential identity leaves the vault is `CasesAndCitizens.readIdentity` (cases-and-citizens.ts), never through these.
 */
import type { Label } from '../messages/label.js';
import {
  caseTypeLabels,
  citizenRoleLabels,
  gapDetail,
  maskedName,
  sessionEventLabels,
  sessionStateLabels,
} from '../messages/session.js';
import type { SessionState } from './state-machine.js';
import type { CaseRecord, CitizenRecord, SessionEvent, SessionEventType, SessionRecord } from './types.js';

// Typed here, not in the catalogue (which imports no feature): a state or event without words fails to compile.
const stateLabels: Record<SessionState, Label> = sessionStateLabels;
const eventLabels: Record<SessionEventType, Label> = sessionEventLabels;

/** Opens a non-confidential citizen's name; never called for a confidential case. */
export type NameOf = (citizen: CitizenRecord) => string;

export interface CitizenView {
  id: string;
  position: number;
  role: CitizenRecord['role'];
  roleLabel: Label;
  /** The name for an open case; "Người tố cáo #3" for a confidential one. */
  displayName: string;
  masked: boolean;
  attendance: CitizenRecord['attendance'];
}

export interface CaseView {
  id: string;
  position: number;
  type: CaseRecord['type'];
  typeLabel: Label;
  flags: CaseRecord['flags'];
  confidential: boolean;
  /** Withheld (null) on the public screen for a confidential case: a summary can point at its author. */
  summary: string | null;
  citizens: CitizenView[];
}

export interface SessionView {
  id: string;
  kind: SessionRecord['kind'];
  title: string;
  chairSite: { name: string };
  bridgePoints: SessionRecord['bridgePoints'];
  startsAt: string;
  endsAt: string;
  state: SessionRecord['state'];
  stateLabel: Label;
  stateSince: string;
  recordingId: string | null;
  /** A live session whose recorder stopped by itself: not being recorded since `at`. */
  recorderStopped: SessionRecord['recorderStopped'];
  cases: CaseView[];
}

function citizenView(citizen: CitizenRecord, caseConfidential: boolean, nameOf: NameOf): CitizenView {
  // A denouncer is masked whatever the case type: the law protects the person, not the label.
  const confidential = caseConfidential || citizen.role === 'denouncer';
  const masked = maskedName(citizen.role, citizen.position);
  return {
    id: citizen.id,
    position: citizen.position,
    role: citizen.role,
    roleLabel: citizenRoleLabels[citizen.role],
    displayName: confidential ? masked.vi : nameOf(citizen),
    masked: confidential,
    attendance: citizen.attendance,
  };
}

/**
 * The session as the room's touchscreen and the technician console show it: open cases with names,
 * confidential ones masked. `withConfidentialSummaries` is for the console (staff only).
 */
export function sessionView(
  session: SessionRecord,
  cases: readonly CaseRecord[],
  citizens: readonly CitizenRecord[],
  nameOf: NameOf,
  options: { withConfidentialSummaries: boolean },
): SessionView {
  return {
    id: session.id,
    kind: session.kind,
    title: session.title,
    chairSite: { name: session.chairSite.name },
    bridgePoints: session.bridgePoints,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    state: session.state,
    stateLabel: stateLabels[session.state],
    stateSince: session.stateSince,
    recordingId: session.recordingId,
    recorderStopped: session.recorderStopped,
    cases: cases.map((item) => ({
      id: item.id,
      position: item.position,
      type: item.type,
      typeLabel: caseTypeLabels[item.type],
      flags: item.flags,
      confidential: item.confidential,
      summary: item.confidential && !options.withConfidentialSummaries ? null : item.summary,
      citizens: citizens.filter((c) => c.caseId === item.id).map((c) => citizenView(c, item.confidential, nameOf)),
    })),
  };
}

/** Event data keys that may leave the device: ids, numbers and times, never free text. */
const fleetSafeKeys = new Set([
  'recordingId',
  'from',
  'to',
  'seconds',
  'cause',
  'preset',
  'source',
  'downSeconds',
  'segments',
  'durationSeconds',
  'startIndex',
  'caseId',
  'origin',
  'startsAt',
  'endsAt',
  'readiness',
  'recovered',
]);

function fleetSafeData(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).filter(
      ([key, value]) => fleetSafeKeys.has(key) && (typeof value !== 'object' || value === null),
    ),
  );
}

export interface FleetSessionView {
  id: string;
  fleetId: string | null;
  kind: SessionRecord['kind'];
  title: string;
  chairSite: { name: string };
  startsAt: string;
  endsAt: string;
  state: SessionRecord['state'];
  stateSince: string;
  recordingId: string | null;
  recorderStopped: SessionRecord['recorderStopped'];
  cases: {
    position: number;
    type: CaseRecord['type'];
    flags: CaseRecord['flags'];
    confidential: boolean;
    citizens: number;
    present: number;
  }[];
  events: { at: string; type: SessionEvent['type']; data: Record<string, unknown> }[];
}

/**
 * The session as sent to central monitoring: counts and flags, no names, no
 * summaries, no free-text event details. Built from records that hold identities only sealed,
 * and it never asks to open one.
 */
export function fleetViewOfSession(
  session: SessionRecord,
  cases: readonly CaseRecord[],
  citizens: readonly CitizenRecord[],
  events: readonly SessionEvent[],
): FleetSessionView {
  return {
    id: session.id,
    fleetId: session.fleetId,
    kind: session.kind,
    title: session.title,
    chairSite: { name: session.chairSite.name },
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    state: session.state,
    stateSince: session.stateSince,
    recordingId: session.recordingId,
    recorderStopped: session.recorderStopped,
    cases: cases.map((item) => {
      const own = citizens.filter((c) => c.caseId === item.id);
      return {
        position: item.position,
        type: item.type,
        flags: item.flags,
        confidential: item.confidential,
        citizens: own.length,
        present: own.filter((c) => c.attendance === 'present').length,
      };
    }),
    events: events.map((event) => ({ at: event.at, type: event.type, data: fleetSafeData(event.data) })),
  };
}

export interface ReportEvent {
  at: string;
  type: SessionEvent['type'];
  label: Label;
  /** A sentence for events that carry one (a gap's span and length). */
  detail?: Label;
  actor: string | null;
  data: Record<string, unknown>;
}

export interface SessionReport {
  session: SessionView;
  events: ReportEvent[];
  /** Sum of recorded gaps, seconds. */
  gapSeconds: number;
  generatedAt: string;
}

/** The session report for the console: the timeline in Vietnamese (English beside it). */
export function sessionReport(view: SessionView, events: readonly SessionEvent[], generatedAt: string): SessionReport {
  let gapSeconds = 0;
  const timeline = events.map((event): ReportEvent => {
    const entry: ReportEvent = {
      at: event.at,
      type: event.type,
      label: eventLabels[event.type],
      actor: event.actor,
      data: event.data,
    };
    if (event.type === 'gap' && typeof event.data.seconds === 'number') {
      gapSeconds += event.data.seconds;
      entry.detail = gapDetail(String(event.data.from), String(event.data.to), event.data.seconds);
    }
    return entry;
  });
  return { session: view, events: timeline, gapSeconds, generatedAt };
}
