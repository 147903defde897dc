import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The reference fleet hub: what a province's monitoring server must do for a device to report to it.
 * It authenticates each device by its bearer credential, acknowledges events in order, and can push
 * a schedule. Tests use it as the real peer of the device's fleet client; it also runs on its own:
 *   node dist/scripts/fleet-hub.js --port 9000 --device ROOM_ID=CREDENTIAL [--device …]
 * and prints every message it receives as a JSON line.
 */
export interface ReceivedMessage {
  device: string;
  message: Record<string, any>;
}

export class FleetHub {
  readonly received: ReceivedMessage[] = [];
  readonly #sockets = new Map<string, WebSocket>();
  readonly #pendingResults = new Map<string, (result: Record<string, any>) => void>();
  /** When false, events are kept but not acknowledged (a hub that is down for writes). */
  acknowledge = true;
  #requests = 0;

  private constructor(private readonly server: Server, private readonly sockets: WebSocketServer) {}

  static async start(options: { port?: number; host?: string; devices: Record<string, string>; onMessage?: (received: ReceivedMessage) => void }): Promise<FleetHub> {
    const server = createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    const deviceOf = (req: IncomingMessage) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      return Object.entries(options.devices).find(([, credential]) => credential === token)?.[0];
    };
    const sockets = new WebSocketServer({ server, verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number) => void) => done(deviceOf(info.req) !== undefined, 401) });
    const hub = new FleetHub(server, sockets);
    sockets.on('connection', (socket, req) => {
      const device = deviceOf(req)!;
      hub.#sockets.set(device, socket);
      socket.send(JSON.stringify({ type: 'welcome', hubTime: new Date().toISOString() }));
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as Record<string, any>;
        const received = { device, message };
        hub.received.push(received);
        options.onMessage?.(received);
        if (message.type === 'event' && hub.acknowledge) socket.send(JSON.stringify({ type: 'ack', upTo: message.seq }));
        if (message.type === 'schedule-result') hub.#pendingResults.get(message.requestId)?.(message);
      });
      socket.on('close', () => {
        if (hub.#sockets.get(device) === socket) hub.#sockets.delete(device);
      });
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
    return hub;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/`;
  }

  connected(device: string): boolean {
    return this.#sockets.has(device);
  }

  /** Pushes a schedule to a connected device and resolves with its `schedule-result`. */
  pushSchedule(device: string, payload: unknown): Promise<Record<string, any>> {
    const socket = this.#sockets.get(device);
    if (!socket) return Promise.reject(new Error(`device ${device} is not connected`));
    const requestId = `r${++this.#requests}`;
    return new Promise((resolve) => {
      this.#pendingResults.set(requestId, resolve);
      socket.send(JSON.stringify({ type: 'schedule', requestId, payload }));
    });
  }

  /** Sends raw text to a device (tests of malformed hub messages). */
  sendRaw(device: string, text: string): void {
    this.#sockets.get(device)?.send(text);
  }

  /** Drops a device's connection as a network failure would. */
  disconnect(device: string): void {
    this.#sockets.get(device)?.terminate();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets.clients) socket.terminate();
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '9000' }, host: { type: 'string', default: '127.0.0.1' }, device: { type: 'string', multiple: true, default: [] } } });
  const devices = Object.fromEntries(values.device.map((pair) => pair.split('=') as [string, string]));
  const hub = await FleetHub.start({ port: Number(values.port), host: values.host, devices, onMessage: (received) => process.stdout.write(`${JSON.stringify(received)}\n`) });
  process.stderr.write(`fleet hub listening on ${hub.url} for ${Object.keys(devices).length} device(s)\n`);
  process.once('SIGINT', () => void hub.close().then(() => process.exit(0)));
  process.once('SIGTERM', () => void hub.close().then(() => process.exit(0)));
}
