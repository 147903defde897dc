import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetOutbox } from '../../kiosk/fleet/outbox.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { migrations } from '../../kiosk/database-schema.js';

describe('fleet outbox (real SQLite)', () => {
  let dir: string;
  let db: Database;
  beforeEach(async () => {
    dir = await makeTempDir('outbox');
    db = (await openStore(join(dir, 'db.sqlite'), migrations)).db;
  });
  afterEach(async () => {
    await db.close();
    await removeTempDir(dir);
  });

  it('keeps events in order until acknowledged, across a reopen', async () => {
    const outbox = new FleetOutbox(db);
    const first = await outbox.add('readiness', { id: 'run-1' });
    const second = await outbox.add('session', { state: 'live' });
    await outbox.add('power', { kind: 'on-battery' });
    expect((await outbox.pending()).map((e) => [e.seq - first, e.topic])).toEqual([
      [0, 'readiness'],
      [1, 'session'],
      [2, 'power'],
    ]);
    expect(await outbox.pending(second)).toHaveLength(1);
    expect(await outbox.acknowledge(second)).toBe(2);
    await db.close();
    db = (await openStore(join(dir, 'db.sqlite'), migrations)).db;
    const reopened = new FleetOutbox(db);
    expect((await reopened.pending()).map((e) => e.data)).toEqual([{ kind: 'on-battery' }]);
  });

  it('keeps only the newest entries when a room stays offline too long', async () => {
    const outbox = new FleetOutbox(db, 3);
    for (let i = 0; i < 5; i++) await outbox.add('disk', { i });
    expect((await outbox.pending()).map((e) => e.data)).toEqual([{ i: 2 }, { i: 3 }, { i: 4 }]);
  });
});
