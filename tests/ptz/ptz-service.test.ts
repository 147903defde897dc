import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ViscaUdpEmulator } from '../../hal/ptz/visca/emulator.js';
import { ViscaIpPtz } from '../../hal/ptz/visca-ip/driver.js';
import { createEventBus, type AppEvents } from '../../kiosk/core/event-bus.js';
import type { Router } from 'express';
import { PtzService } from '../../kiosk/ptz/ptz-service.js';
import { ptzConsoleRouter, ptzKioskRouter } from '../../kiosk/ptz/routes.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { createApiApp, finishApiApp } from '../../kiosk/core/http.js';
import { testBackoff } from '../hal/ptz/helpers/wait.js';
import { waitFor } from '../support/wait.js';
import { migrations } from '../../kiosk/database-schema.js';

/**
 * The PTZ service end to end: HTTP (real express on 127.0.0.1) → service → real visca-ip driver →
 * UDP → VISCA camera emulator, with presets in a real SQLite database in a temp dir.
 */
describe('PTZ service: named presets and camera controls over HTTP', () => {
  const logger = pino({ level: 'silent' });
  let dir: string;
  let db: Database;
  let camera: ViscaUdpEmulator;
  let driver: ViscaIpPtz;
  let service: PtzService;
  let servers: Server[];
  let kiosk: string;
  let console_: string;
  let busEvents: string[];

  /** `asTechnician` stands in for the console login, which sets `req.auth` (tested in tests/auth). */
  const listen = async (router: Router, asTechnician = false): Promise<string> => {
    const app = createApiApp({ bodyLimit: '16kb', logger });
    if (asTechnician)
      app.use((req, _res, next) => {
        (req as { auth?: unknown }).auth = { user: 'kythuat', role: 'technician', userId: 1 };
        next();
      });
    app.use('/api', router);
    finishApiApp(app, logger);
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  };

  const call = async (base: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ptz-service-'));
    db = (await openStore(join(dir, 'diemcau.sqlite'), migrations)).db;
    camera = new ViscaUdpEmulator();
    await camera.plugIn();
    driver = new ViscaIpPtz(
      { id: 'ptz', backoff: testBackoff },
      { host: '127.0.0.1', port: camera.port, timeoutMs: 1000, slowCompletionTimeoutMs: 1500 },
    );
    await driver.start();
    const bus = createEventBus(logger);
    busEvents = [];
    bus.on('ptzPreset', (e: AppEvents['ptzPreset'][0]) => busEvents.push(`${e.action} ${e.name} ${e.source}`));
    bus.on('ptzManualMove', (active) => busEvents.push(`manual ${active}`));
    service = new PtzService({ db: () => db, device: () => driver, bus, logger });
    await service.start();
    servers = [];
    kiosk = await listen(ptzKioskRouter(service));
    console_ = await listen(ptzConsoleRouter(service), true);
  });

  afterEach(async () => {
    for (const server of servers ?? []) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await service?.stop();
    await driver?.stop();
    await camera?.unplug();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the default presets of the room in Vietnamese and English', async () => {
    const { status, body } = await call(kiosk, 'GET', '/ptz/presets');
    expect(status).toBe(200);
    expect(body.presets.map((p: { name: string; slot: number }) => `${p.name}:${p.slot}`)).toEqual([
      'citizen-seat:1',
      'officials-table:2',
      'wide:3',
      'document:4',
    ]);
    expect(body.presets[0].label).toEqual({ vi: 'Ghế công dân', en: 'Citizen seat' });
    expect(body.device.status).toBe('ok');
  });

  it('moves the camera from the kiosk, stores a preset from the console, recalls it by name', async () => {
    expect((await call(kiosk, 'POST', '/ptz/move', { pan: 1, tilt: 1, zoom: 1, speed: 1 })).status).toBe(200);
    expect((await call(kiosk, 'POST', '/ptz/move', { pan: 0, tilt: 0, zoom: 0 })).status).toBe(200);
    const stored = camera.model.state;
    const aimed = { pan: stored.pan, tilt: stored.tilt, zoom: stored.zoom };
    expect(aimed.pan).toBeGreaterThan(0);

    const put = await call(console_, 'PUT', '/ptz/presets/citizen-seat');
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'citizen-seat', slot: 1, position: aimed });
    expect(camera.model.state.presets.get(1)).toEqual(aimed);

    await call(kiosk, 'POST', '/ptz/move', { pan: -1, tilt: -1, speed: 1 });
    expect(camera.model.state.pan).not.toBe(aimed.pan);
    const recall = await call(kiosk, 'POST', '/ptz/presets/citizen-seat/recall');
    expect(recall.status).toBe(200);
    expect(recall.body.recalled.name).toBe('citizen-seat');
    expect(camera.model.state).toMatchObject(aimed);
    expect(busEvents).toEqual([
      'manual true',
      'manual false',
      'stored citizen-seat console',
      'manual true',
      'recalled citizen-seat kiosk',
    ]);
    // The preset the camera is at, for every screen; steering it by hand leaves it.
    expect((await call(console_, 'GET', '/ptz/presets')).body.active).toBe('citizen-seat');
    await call(console_, 'POST', '/ptz/move', { pan: 1, tilt: 0, speed: 1 });
    await call(console_, 'POST', '/ptz/move', { pan: 0, tilt: 0 });
    expect((await call(kiosk, 'GET', '/ptz/presets')).body.active).toBeNull();
  });

  it('recalls for speaker tracking by slot: the named preset, or a slot the camera keeps unnamed, both on the bus for the timeline', async () => {
    await call(console_, 'PUT', '/ptz/presets/officials-table');
    const atTable = { ...camera.model.state.presets.get(2)! };
    await call(kiosk, 'POST', '/ptz/move', { pan: 1, tilt: 0, speed: 1 });
    await call(kiosk, 'POST', '/ptz/move', { pan: 0, tilt: 0 });
    expect(await service.recallSlot(2, 'tracking')).toMatchObject({ name: 'officials-table', slot: 2 });
    expect(camera.model.state).toMatchObject(atTable);
    expect(await service.recallSlot(9, 'tracking')).toEqual({ name: 'slot-9', slot: 9 });
    expect(busEvents.filter((e) => e.startsWith('recalled'))).toEqual([
      'recalled officials-table tracking',
      'recalled slot-9 tracking',
    ]);
  });

  it('creates a new named preset from the console when given a slot and labels', async () => {
    const missing = await call(console_, 'PUT', '/ptz/presets/whiteboard', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('preset_definition_required');
    const taken = await call(console_, 'PUT', '/ptz/presets/whiteboard', {
      slot: 2,
      label: { vi: 'Bảng', en: 'Whiteboard' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('slot_taken');
    const created = await call(console_, 'PUT', '/ptz/presets/whiteboard', {
      slot: 12,
      label: { vi: 'Bảng', en: 'Whiteboard' },
    });
    expect(created.status).toBe(200);
    expect(camera.model.state.presets.has(12)).toBe(true);
    const list = await call(kiosk, 'GET', '/ptz/presets');
    expect(list.body.presets.map((p: { name: string }) => p.name)).toContain('whiteboard');
  });

  it('keeps storing presets off the kiosk server', async () => {
    const { status, body } = await call(kiosk, 'PUT', '/ptz/presets/wide');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('validates bodies and names', async () => {
    const bad = await call(kiosk, 'POST', '/ptz/move', { pan: 2, tilt: 0, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_body');
    expect((await call(kiosk, 'POST', '/ptz/presets/nope/recall')).body.error.code).toBe('preset_not_found');
    expect((await call(kiosk, 'POST', '/ptz/presets/Bad%20Name/recall')).body.error.code).toBe('invalid_preset_name');
  });

  it('answers 504 when the camera does not answer, 502 when it refuses', async () => {
    camera.model.faults.push({ kind: 'silent' });
    const timeout = await call(kiosk, 'POST', '/ptz/presets/wide/recall');
    expect(timeout.status).toBe(504);
    expect(timeout.body.error.code).toBe('ptz_timeout');
    camera.model.faults.push({ kind: 'error-after-ack', code: 0x41 });
    const refused = await call(kiosk, 'POST', '/ptz/presets/wide/recall');
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({
      code: 'ptz_refused',
      details: { reason: 'not-executable', code: 0x41 },
    });
  });

  it('answers 503 while the camera is not connected', async () => {
    camera.model.silent = true;
    await call(kiosk, 'POST', '/ptz/move', { pan: 1, tilt: 0 });
    await call(kiosk, 'POST', '/ptz/move', { pan: 0, tilt: 0 });
    await waitFor('driver connecting', () => driver.status === 'connecting');
    const { status, body } = await call(kiosk, 'POST', '/ptz/presets/wide/recall');
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 'ptz_unavailable', details: { status: 'connecting' } });
  });
});
