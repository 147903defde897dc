import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthenticatedRequest } from '../../kiosk/auth/middleware.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { DiscoveredChange, DiscoveredDevice } from '../../hal/discovery/types.js';
import { createEventBus, type EventBus } from '../../kiosk/core/event-bus.js';
import { createApiApp, finishApiApp } from '../../kiosk/core/http.js';
import { DiscoveryService } from '../../kiosk/room/discovery-service.js';
import { discoveryConsoleRouter } from '../../kiosk/room/routes.js';
import { FakeExecutables } from '../hal/fake-executables.js';
import { waitFor } from '../support/wait.js';

const logger = pino({ level: 'silent' });

// A temp /dev with a fake serial node stands in for real hardware; the router is served for real on 127.0.0.1.
describe('DiscoveryService and GET /api/devices/discovered', () => {
  let root: string;
  let bin: FakeExecutables;
  let bus: EventBus;
  let service: DiscoveryService;
  let server: Server;
  let base: string;
  let serialList: { path: string }[];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'diemcau-room-discovery-'));
    await mkdir(join(root, 'dev'));
    await mkdir(join(root, 'proc'));
    bin = await FakeExecutables.create();
    bus = createEventBus(logger);
    serialList = [];
    service = new DiscoveryService({
      config: { enabled: true, intervalSeconds: 600 },
      bus,
      logger,
      sources: {
        devRoot: join(root, 'dev'),
        procRoot: join(root, 'proc'),
        tools: bin.runner(),
        listSerialPorts: async () => serialList,
      },
    });
    const app = createApiApp({ bodyLimit: '16kb', logger });
    // As the console's login gate leaves it: a technician (the route needs devices.manage; the matrix in tests/auth covers the other roles).
    app.use((req, _res, next) => {
      (req as AuthenticatedRequest).auth = { user: 'kythuat', role: 'technician' } as AuthenticatedRequest['auth'];
      next();
    });
    app.use('/api', discoveryConsoleRouter(service));
    finishApiApp(app, logger);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterEach(async () => {
    await service.stop();
    await new Promise((resolve) => server.close(resolve));
    await bin.remove();
    await rm(root, { recursive: true, force: true });
  });

  it('answers 503 before start', async () => {
    const res = await fetch(`${base}/devices/discovered`);
    expect(res.status).toBe(503);
  });

  it('lists devices, publishes plug events on the bus, and rescans on request', async () => {
    const changes: DiscoveredChange[] = [];
    bus.on('hardwarePlugged', (change) => changes.push(change));
    await service.start();
    type Listing = { scannedAt: string | null; devices: DiscoveredDevice[] };
    let body = (await (await fetch(`${base}/devices/discovered`)).json()) as Listing;
    expect(body.devices).toEqual([]);
    expect(typeof body.scannedAt).toBe('string');

    await mkdir(join(root, 'dev', 'serial', 'by-id'), { recursive: true });
    await writeFile(join(root, 'dev', 'ttyUSB0'), '');
    await symlink(
      '../../ttyUSB0',
      join(root, 'dev', 'serial', 'by-id', 'usb-FTDI_FT232R_USB_UART_A10K3ZQ1-if00-port0'),
    );
    await waitFor('plug event on the bus', () => changes.length > 0, 10_000);
    expect(changes[0]).toMatchObject({
      change: 'plugged',
      device: { kind: 'serial', path: join(root, 'dev', 'ttyUSB0') },
    });

    // A port only the serialport list knows (no by-id link): seen on the requested rescan.
    serialList = [{ path: join(root, 'dev', 'ttyACM0') }];
    body = (await (
      await fetch(`${base}/devices/discovered/rescan`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as Listing;
    expect(body.devices.map((d) => d.path)).toEqual([join(root, 'dev', 'ttyACM0'), join(root, 'dev', 'ttyUSB0')]);
  });
});
