import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetOutbox } from '../../kiosk/fleet/outbox.js';
import {
  nextSessionSlot,
  nextSessionState,
  type RunSlot,
  type SessionSlot,
} from '../../kiosk/fleet/room-state/next-session.js';
import { OpenAlerts } from '../../kiosk/fleet/room-state/open-alerts.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { migrations } from '../../kiosk/database-schema.js';

const H = 3_600_000;
const NOW = Date.parse('2026-12-01T08:00:00+07:00');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const slot = (id: string, startIn: number, state: SessionSlot['state'] = 'scheduled'): SessionSlot => ({
  id,
  startsAt: at(startIn),
  endsAt: at(startIn + 2 * H),
  state,
});
const run = (
  sessionId: string | null,
  kind: RunSlot['kind'],
  overall: RunSlot['overall'],
  startedAgo: number,
): RunSlot => ({ sessionId, kind, overall, startedAt: at(-startedAgo) });

describe('room state: the next session (pure)', () => {
  it.each([
    { case: 'no sessions', sessions: [], next: undefined },
    { case: 'the soonest upcoming one', sessions: [slot('b', 5 * H), slot('a', 3 * H)], next: 'a' },
    {
      case: 'not a cancelled, live or closed one',
      sessions: [slot('x', 1 * H, 'aborted'), slot('y', -1 * H, 'live'), slot('z', -3 * H, 'closed'), slot('a', 3 * H)],
      next: 'a',
    },
    { case: 'a late one not started yet', sessions: [slot('late', -0.5 * H, 'ready'), slot('a', 3 * H)], next: 'late' },
    { case: 'not one whose end has passed', sessions: [slot('gone', -3 * H, 'scheduled')], next: undefined },
  ])('$case', ({ sessions, next }) => {
    expect(nextSessionSlot(sessions, NOW)?.id).toBe(next);
  });

  it('carries id and start only, with the outcomes of the 1-day and 2-hour tests run inside their windows', () => {
    const next = slot('s-1', 90 * 60_000, 'ready');
    const runs = [
      run('s-1', 'day-before', 'warn', 20 * H),
      run('s-1', 'day-before', 'pass', 23 * H),
      run('s-1', 'two-hours', 'pass', 10 * 60_000),
      run('s-1', 'on-demand', 'fail', 60_000),
      run('other', 'two-hours', 'fail', 60_000),
    ];
    const state = nextSessionState(next, runs);
    expect(state).toEqual({
      sessionId: 's-1',
      startsAt: next.startsAt,
      readiness: { dayBefore: 'warn', twoHours: 'pass' },
    });
    expect(Object.keys(state!)).toEqual(['sessionId', 'startsAt', 'readiness']);
    expect(nextSessionState(next, [])).toMatchObject({ readiness: { dayBefore: null, twoHours: null } });
    expect(nextSessionState(undefined, runs)).toBeNull();
  });

  it('does not count a test from before the session was moved later', () => {
    // Rescheduled to start in 26 h: the day-before test run 1 h ago belonged to the old time.
    const moved = slot('s-1', 26 * H);
    expect(nextSessionState(moved, [run('s-1', 'day-before', 'pass', H)])?.readiness.dayBefore).toBeNull();
  });
});

describe('room state: open alerts and message ids (real SQLite)', () => {
  let dir: string;
  let db: Database;
  let createdAt: number;
  const path = () => join(dir, 'db.sqlite');
  beforeEach(async () => {
    dir = await makeTempDir('room-state');
    createdAt = Date.now();
    db = (await openStore(path(), migrations)).db;
  });
  afterEach(async () => {
    await db.close();
    await removeTempDir(dir);
  });

  it('counts alerts raised and not cleared, idempotently, across a reopen', async () => {
    const alerts = new OpenAlerts(db);
    const event = (seq: number, key: string, state: 'raised' | 'cleared') => ({
      seq,
      at: at(seq),
      alert: { key, state },
    });
    await alerts.apply(event(1, 'power', 'raised'));
    await alerts.apply(event(2, 'disk', 'raised'));
    await alerts.apply(event(2, 'disk', 'raised'));
    await alerts.apply({ seq: 3, at: at(3) });
    expect(await alerts.count()).toBe(2);
    await alerts.apply(event(4, 'power', 'cleared'));
    await alerts.apply(event(4, 'power', 'cleared'));
    expect(await alerts.count()).toBe(1);
    await db.close();
    db = (await openStore(path(), migrations)).db;
    expect(await new OpenAlerts(db).count()).toBe(1);
  });

  it('starts a new database’s outbox above every id an earlier database gave, as a safe integer', async () => {
    const first = await new FleetOutbox(db).add('power', { kind: 'on-battery' });
    expect(first).toBeGreaterThan(createdAt * 1000);
    expect(Number.isSafeInteger(first)).toBe(true);
    for (let i = 0; i < 50; i++) await new FleetOutbox(db).add('power', { i });
    const last = await new FleetOutbox(db).add('power', { kind: 'power-restored' });
    await db.close();
    await removeTempDir(dir);
    dir = await makeTempDir('room-state');
    await new Promise((resolve) => setTimeout(resolve, 2));
    db = (await openStore(path(), migrations)).db;
    const recreated = await new FleetOutbox(db).add('power', { kind: 'on-battery' });
    expect(recreated).toBeGreaterThan(last);
    expect(await new FleetOutbox(db).add('disk', {})).toBe(recreated + 1);
  });
});
