import type { RoomEvent } from './nats/events.js';
import type { OutboxEntry } from './outbox.js';

/**
 * How an outbox entry becomes an event of schema v1 (kiosk/fleet/nats/schema.md): the topic's own
 * record as `data` (already stripped of identities by the service that raised it), a severity, and
 * for alerts a key under which the dashboard shows one alert, raised and later cleared. Pure. The
 * mapping is done when the entry is sent, not when it is queued, so rows that other processes queue
 * (the CLI's security alerts) get the same treatment.
 */
export function roomEventOf(entry: OutboxEntry): RoomEvent {
  const data = asRecord(entry.data);
  const str = (value: unknown) => (typeof value === 'string' && value ? value.slice(0, 80) : 'unknown');
  const base = { v: 1 as const, seq: entry.seq, at: entry.at, topic: entry.topic, data };
  switch (entry.topic) {
    // A later test of the same session that does not fail clears that session's readiness alert.
    case 'readiness':
      return {
        ...base,
        severity: data.overall === 'fail' ? 'warning' : 'info',
        ...(typeof data.sessionId === 'string' && data.overall !== 'fail'
          ? { alert: { key: `readiness:${str(data.sessionId)}`, state: 'cleared' as const } }
          : {}),
      };
    case 'readiness-alert':
      return {
        ...base,
        severity: 'critical',
        alert: { key: `readiness:${str(data.sessionId ?? data.runId)}`, state: 'raised' },
      };
    case 'session': {
      const session = asRecord(data.session);
      const change = asRecord(data.change);
      // A session that is over has no readiness left to fix: its alert, if any, is cleared.
      const over = ['closed', 'aborted', 'failed'].includes(change.to) && typeof change.sessionId === 'string';
      return {
        ...base,
        severity: session.recorderStopped ? 'critical' : 'info',
        ...(over ? { alert: { key: `readiness:${str(change.sessionId)}`, state: 'cleared' as const } } : {}),
      };
    }
    case 'session-gap':
      return { ...base, severity: 'warning' };
    case 'power': {
      const kind = data.kind;
      const state = kind === 'power-restored' ? 'cleared' : 'raised';
      const severity = kind === 'power-restored' ? 'info' : kind === 'on-battery' ? 'warning' : 'critical';
      return { ...base, severity, alert: { key: 'power', state } };
    }
    case 'disk':
      return {
        ...base,
        severity: data.level === 'critical' ? 'critical' : data.level === 'ok' ? 'info' : 'warning',
        alert: { key: 'disk', state: data.level === 'ok' ? 'cleared' : 'raised' },
      };
    // Cleared when the recording is sealed after all (fleet-service queues `{ recordingId, state: 'cleared' }`).
    case 'evidence-alert': {
      const cleared = data.state === 'cleared';
      return {
        ...base,
        severity: cleared ? 'info' : 'critical',
        alert: { key: `evidence:${str(data.recordingId)}`, state: cleared ? 'cleared' : 'raised' },
      };
    }
    case 'security-alert':
      return { ...base, severity: 'warning' };
    // One alert per call: raised from the room, cleared when a technician acknowledges it in the console.
    // One alert for the room's software: raised when an update had to be rolled back or failed, cleared by the next success.
    case 'update': {
      const state = data.state;
      const bad = state === 'rolled-back' || state === 'failed';
      return {
        ...base,
        severity: bad ? 'critical' : state === 'refused' ? 'warning' : 'info',
        ...(bad || state === 'succeeded'
          ? { alert: { key: 'update', state: bad ? ('raised' as const) : ('cleared' as const) } }
          : {}),
      };
    }
    case 'technician-call': {
      const waiting = data.state === 'waiting';
      return {
        ...base,
        severity: waiting ? 'warning' : 'info',
        alert: { key: `technician-call:${str(data.id)}`, state: waiting ? 'raised' : 'cleared' },
      };
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the mapped event's fields are checked by the schema it is sent under.
function asRecord(value: unknown): Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? // biome-ignore lint/suspicious/noExplicitAny: as above.
      (value as Record<string, any>)
    : { value: value ?? null };
}
