import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UvcPtz } from '../../hal/ptz/uvc/driver.js';
import { createEventBus } from '../../kiosk/core/event-bus.js';
import { PtzService } from '../../kiosk/ptz/ptz-service.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { DomainError } from '../../kiosk/core/domain-error.js';
import { installFakeV4l2Ctl } from '../hal/ptz/helpers/fake-v4l2-ctl.js';
import { testBackoff } from '../hal/ptz/helpers/wait.js';
import { migrations } from '../../kiosk/database-schema.js';

/**
 * A camera without preset memory (UVC): the service keeps the position in SQLite and drives back to
 * it. No UVC PTZ camera exists here, so the real driver runs against the fake v4l2-ctl on PATH.
 */
describe('PTZ service with host-stored presets (UVC)', () => {
  const logger = pino({ level: 'silent' });
  let dir: string;
  let db: Database;
  let driver: UvcPtz;
  let service: PtzService;

  const camera = async () => JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as Record<string, number>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ptz-host-presets-'));
    db = (await openStore(join(dir, 'diemcau.sqlite'), migrations)).db;
    driver = new UvcPtz(
      { id: 'ptz', backoff: testBackoff },
      { device: '/dev/video9' },
      { env: await installFakeV4l2Ctl(dir), timeoutMs: 15_000 },
    );
    await driver.start();
    service = new PtzService({ db: () => db, device: () => driver, bus: createEventBus(logger), logger });
    await service.start();
  });

  afterEach(async () => {
    await service?.stop();
    await driver?.stop();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to recall a preset never stored, then stores and recalls it through the database', async () => {
    const refused = await service.recall('document', 'kiosk').catch((e: unknown) => e);
    // The service speaks in categories; the web layer answers conflict with 409 (tests/core/http-errors.test.ts).
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ category: 'conflict', code: 'preset_not_stored' });

    await driver.goTo({ pan: 10800, tilt: -3600, zoom: 300 });
    const stored = await service.store('document', {}, 'console');
    expect(stored.position).toEqual({ pan: 10800, tilt: -3600, zoom: 300 });
    await driver.home();

    // A new service over the same database (as after a restart) still knows where "document" is.
    const restarted = new PtzService({ db: () => db, device: () => driver, bus: createEventBus(logger), logger });
    await restarted.start();
    await restarted.recall('document', 'kiosk');
    expect(await camera()).toEqual({ pan_absolute: 10800, tilt_absolute: -3600, zoom_absolute: 300 });
  });

  it('recalls for speaker tracking by slot through the database; a slot with no stored preset is refused', async () => {
    await driver.goTo({ pan: -7200, tilt: 3600, zoom: 100 });
    const stored = await service.store('citizen-seat', {}, 'console');
    await driver.home();
    expect(await camera()).not.toEqual({ pan_absolute: -7200, tilt_absolute: 3600, zoom_absolute: 100 });
    expect(await service.recallSlot(stored.slot, 'tracking')).toMatchObject({ name: 'citizen-seat' });
    expect(await camera()).toEqual({ pan_absolute: -7200, tilt_absolute: 3600, zoom_absolute: 100 });
    expect(await service.recallSlot(99, 'tracking').catch((e: unknown) => e)).toMatchObject({
      category: 'not-found',
      code: 'preset_not_found',
    });
  });
});
