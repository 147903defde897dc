/**
 * The subjects, streams and buckets of central monitoring over NATS, schema version 1 (see schema.md).
 * Pure: names only. The server's permissions (scripts/central/permissions.ts) are built from the same
 * functions, so a subject a room may use is spelled in exactly one place.
 */

export const SUBJECT_ROOT = 'diemcau.v1';

/** The room id of the device config (config/schema.ts `room.id`): one subject token, never a wildcard. */
const ROOM_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function isRoomId(value: string): boolean {
  return ROOM_ID.test(value);
}

function roomToken(roomId: string): string {
  if (!isRoomId(roomId))
    throw new Error(`room id ${JSON.stringify(roomId)} is not lower-case letters, digits and dashes (2–63 characters)`);
  return roomId;
}

export const commandNames = ['ping', 'run-readiness', 'push-schedule', 'recent-logs', 'reboot', 'update'] as const;
export type CommandName = (typeof commandNames)[number];

export const eventTopics = [
  'readiness',
  'readiness-alert',
  'session',
  'session-gap',
  'power',
  'disk',
  'evidence-alert',
  'security-alert',
  'technician-call',
  'update',
] as const;
export type EventTopic = (typeof eventTopics)[number];

/** JetStream stream holding every room's events; its duplicate window drops a replayed `room:seq`. */
export const EVENTS_STREAM = 'DIEMCAU_EVENTS';
/** JetStream stream of every room's evidence anchors: append-only (deny delete, deny purge), kept for years. */
export const ANCHORS_STREAM = 'DIEMCAU_ANCHORS';
/** JetStream KV bucket: one key per room (the room id), its latest state. */
export const ROOMS_BUCKET = 'diemcau-rooms';

export const subjects = {
  /** Everything a room may publish on core NATS and JetStream. */
  roomAll: (roomId: string) => `${SUBJECT_ROOT}.room.${roomToken(roomId)}.>`,
  telemetry: (roomId: string) => `${SUBJECT_ROOT}.room.${roomToken(roomId)}.telemetry`,
  event: (roomId: string, topic: EventTopic) => `${SUBJECT_ROOT}.room.${roomToken(roomId)}.event.${topic}`,
  /** What the events stream captures: every room's events. */
  allEvents: `${SUBJECT_ROOT}.room.*.event.>`,
  allTelemetry: `${SUBJECT_ROOT}.room.*.telemetry`,
  /** A sealed recording's anchor (ANCHORING.md), published to JetStream. */
  anchor: (roomId: string) => `${SUBJECT_ROOT}.room.${roomToken(roomId)}.anchor`,
  allAnchors: `${SUBJECT_ROOT}.room.*.anchor`,
  /** The room asks central's notary to sign a receipt for an anchor the stream holds. */
  notaryReceipt: (roomId: string) => `${SUBJECT_ROOT}.notary.${roomToken(roomId)}.receipt`,
  allNotaryReceipts: `${SUBJECT_ROOT}.notary.*.receipt`,
  /** The KV subject of the room's own key: `kv.put(roomId)` publishes here. */
  stateKey: (roomId: string) => `$KV.${ROOMS_BUCKET}.${roomToken(roomId)}`,
  commands: (roomId: string) => `${SUBJECT_ROOT}.cmd.${roomToken(roomId)}.>`,
  command: (roomId: string, name: CommandName) => `${SUBJECT_ROOT}.cmd.${roomToken(roomId)}.${name}`,
  allCommands: `${SUBJECT_ROOT}.cmd.>`,
  /** A room's own request inbox (JetStream acknowledgements come back here); no room can read another's. */
  inboxPrefix: (roomId: string) => `_INBOX.${roomToken(roomId)}`,
  inbox: (roomId: string) => `_INBOX.${roomToken(roomId)}.>`,
} as const;

/** The JetStream message id of a room's event: its outbox sequence, unique per room. */
export function eventMessageId(roomId: string, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(`event seq must be a positive integer, not ${seq}`);
  return `${roomToken(roomId)}:${seq}`;
}

/** The JetStream message id of a recording's anchor: a replay of the same anchor is dropped by the stream. */
export function anchorMessageId(roomId: string, recordingId: string): string {
  return `${roomToken(roomId)}:anchor:${recordingId}`;
}

export type RoomSubject =
  | { kind: 'telemetry'; roomId: string }
  | { kind: 'event'; roomId: string; topic: EventTopic }
  | { kind: 'state'; roomId: string }
  | { kind: 'anchor'; roomId: string }
  | { kind: 'notary-receipt'; roomId: string }
  | { kind: 'command'; roomId: string; command: CommandName };

/**
 * What a subject is, and for which room; undefined for anything outside schema v1 (another version,
 * an unknown topic or command). The room comes from the subject, which the server's permissions vouch for.
 */
export function parseSubject(subject: string): RoomSubject | undefined {
  const tokens = subject.split('.');
  if (tokens[0] === '$KV' && tokens[1] === ROOMS_BUCKET && tokens.length === 3) {
    const roomId = tokens[2] ?? '';
    return isRoomId(roomId) ? { kind: 'state', roomId } : undefined;
  }
  if (tokens[0] !== 'diemcau' || tokens[1] !== 'v1') return undefined;
  const [, , area, roomId = '', kind, name, ...rest] = tokens;
  if (!isRoomId(roomId) || rest.length > 0) return undefined;
  if (area === 'room' && kind === 'telemetry' && name === undefined) return { kind: 'telemetry', roomId };
  if (area === 'room' && kind === 'anchor' && name === undefined) return { kind: 'anchor', roomId };
  if (area === 'notary' && kind === 'receipt' && name === undefined) return { kind: 'notary-receipt', roomId };
  if (area === 'room' && kind === 'event' && isOneOf(eventTopics, name)) return { kind: 'event', roomId, topic: name };
  if (area === 'cmd' && isOneOf(commandNames, kind) && name === undefined)
    return { kind: 'command', roomId, command: kind };
  return undefined;
}

function isOneOf<T extends string>(list: readonly T[], value: string | undefined): value is T {
  return value !== undefined && (list as readonly string[]).includes(value);
}
