import { describe, expect, it } from 'vitest';
import { roomEventOf } from '../../kiosk/fleet/event-map.js';
import type { OutboxEntry } from '../../kiosk/fleet/outbox.js';

const entry = (topic: OutboxEntry['topic'], data: unknown, seq = 7): OutboxEntry => ({
  seq,
  at: '2026-12-01T07:00:00.000Z',
  topic,
  data,
});

/** Which events raise and which clear an alert: what the KV state's openAlerts and the dashboard count. */
describe('fleet event map: alerts raised and cleared', () => {
  it.each([
    [
      'a failed 2-hour test raises the session’s readiness alert',
      entry('readiness-alert', { sessionId: 's1', runId: 'r1' }),
      { key: 'readiness:s1', state: 'raised' },
      'critical',
    ],
    [
      'a later test of that session that passes clears it',
      entry('readiness', { id: 'r2', sessionId: 's1', overall: 'pass' }),
      { key: 'readiness:s1', state: 'cleared' },
      'info',
    ],
    [
      'one with warnings clears it too (the room may go ahead)',
      entry('readiness', { id: 'r3', sessionId: 's1', overall: 'warn' }),
      { key: 'readiness:s1', state: 'cleared' },
      'info',
    ],
    [
      'the session closing clears it',
      entry('session', { change: { sessionId: 's1', from: 'ending', to: 'closed' }, session: {} }),
      { key: 'readiness:s1', state: 'cleared' },
      'info',
    ],
    [
      'a session cancelled (aborted) clears it',
      entry('session', { change: { sessionId: 's1', from: 'scheduled', to: 'aborted' }, session: {} }),
      { key: 'readiness:s1', state: 'cleared' },
      'info',
    ],
    [
      'a refused seal raises the recording’s evidence alert',
      entry('evidence-alert', { recordingId: 'rec-1', code: 'seal-refused' }),
      { key: 'evidence:rec-1', state: 'raised' },
      'critical',
    ],
    [
      'its seal later clears it',
      entry('evidence-alert', { recordingId: 'rec-1', state: 'cleared' }),
      { key: 'evidence:rec-1', state: 'cleared' },
      'info',
    ],
  ])('%s', (_what, input, alert, severity) => {
    expect(roomEventOf(input)).toMatchObject({ alert, severity });
  });

  it.each([
    [
      'a failed test (the alert, if any, stays open)',
      entry('readiness', { id: 'r4', sessionId: 's1', overall: 'fail' }),
    ],
    ['an on-demand test without a session', entry('readiness', { id: 'r5', sessionId: null, overall: 'pass' })],
    ['a session going live', entry('session', { change: { sessionId: 's1', from: 'ready', to: 'live' }, session: {} })],
  ])('leaves alerts alone: %s', (_what, input) => {
    expect(roomEventOf(input).alert).toBeUndefined();
  });
});
