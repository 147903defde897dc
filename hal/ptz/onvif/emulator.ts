import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OnvifCameraModel, type MediaProfile, type PtzVector } from './camera-model.js';
import * as answer from './responses.js';
import {
  checkUsernameToken,
  faults,
  faultStatus,
  parseSoapRequest,
  soapEnvelope,
  soapFault,
  type SoapFault,
  type SoapRequest,
} from './soap.js';
import { child, parseXml, textOf, type XmlElement } from './xml.js';

export const WS_DISCOVERY_GROUP = '239.255.255.250';
export const WS_DISCOVERY_PORT = 3702;

export interface OnvifEmulatorOptions {
  /** Where SOAP is served: 127.0.0.1 by default, port 0 for any free one (kept across unplug/plug). */
  host?: string;
  port?: number;
  username: string;
  password: string;
  /** The RTSP server the stream URIs point at (the camera's own, or the GStreamer test server). */
  rtsp: { host: string; port: number };
  profiles?: MediaProfile[];
  identity?: Partial<answer.CameraIdentity>;
  /** The camera's clock minus ours: what GetSystemDateAndTime shows and the driver reports as drift. */
  clockOffsetMs?: number;
  /** Answer WS-Discovery probes on the multicast group (port 3702, shared with other listeners). */
  discovery?: boolean;
}

/** Operations that name a media profile: a token the camera does not have is `ter:NoProfile`. */
const PROFILE_ACTIONS = new Set([
  'GetStreamUri',
  'GetStatus',
  'ContinuousMove',
  'Stop',
  'AbsoluteMove',
  'RelativeMove',
  'GotoHomePosition',
  'SetHomePosition',
  'GetPresets',
  'SetPreset',
  'GotoPreset',
  'RemovePreset',
]);

export const defaultProfiles: MediaProfile[] = [
  {
    token: 'profile-main',
    name: 'MainStream',
    encoding: 'H264',
    width: 1280,
    height: 720,
    fps: 25,
    bitrateKbps: 2048,
    rtspPath: '/main',
  },
  {
    token: 'profile-sub',
    name: 'SubStream',
    encoding: 'H264',
    width: 640,
    height: 360,
    fps: 15,
    bitrateKbps: 512,
    rtspPath: '/sub',
  },
];

/** One-shot faults a test or a technician injects: the next authenticated request gets this SOAP fault. */
export type EmulatorFault = SoapFault;

/**
 * An ONVIF Profile S camera on loopback: SOAP 1.2 over HTTP for the device, media and PTZ services,
 * WS-Security UsernameToken (digest) on everything but GetSystemDateAndTime (ONVIF Core §5.9.1: a
 * client needs the camera's time before it can make a digest), SOAP faults as cameras send them,
 * and WS-Discovery ProbeMatches on UDP multicast. PTZ behaviour is in `camera-model.ts`.
 */
export class OnvifCameraEmulator {
  readonly model: OnvifCameraModel;
  readonly uuid = `urn:uuid:${randomUUID()}`;
  /** Accept connections but never answer: a camera that hangs, as opposed to one that is gone. */
  silent = false;
  clockOffsetMs: number;
  readonly faults: EmulatorFault[] = [];
  /** Requests by action name, authenticated or not. */
  readonly requests = new Map<string, number>();
  readonly #options: OnvifEmulatorOptions;
  readonly #identity: answer.CameraIdentity;
  readonly #users: Map<string, string>;
  readonly #seenNonces = new Set<string>();
  #server: Server | undefined;
  #discovery: Socket | undefined;
  #port: number;

  constructor(options: OnvifEmulatorOptions) {
    this.#options = options;
    this.#port = options.port ?? 0;
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.#users = new Map([[options.username, options.password]]);
    this.model = new OnvifCameraModel({ profiles: options.profiles ?? defaultProfiles, now: () => Date.now() });
    this.#identity = {
      manufacturer: 'Điểm Cầu',
      model: 'ONVIF-EMU-PTZ',
      firmwareVersion: '1.0.0',
      serialNumber: 'EMU0001',
      hardwareId: 'emulator',
      ...options.identity,
    };
  }

  get host(): string {
    return this.#options.host ?? '127.0.0.1';
  }

  get port(): number {
    return this.#port;
  }

  get plugged(): boolean {
    return this.#server !== undefined;
  }

  /** The device service address, as a discovery answer gives it. */
  get xaddr(): string {
    return `http://${this.host}:${this.#port}/onvif/device_service`;
  }

  /** Changes the accepted password, as a technician changing it on the camera. */
  setPassword(password: string): void {
    this.#users.set(this.#options.username, password);
  }

  async plugIn(): Promise<void> {
    if (this.#server) return;
    const server = createServer((req, res) => void this.#onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    if (this.#options.discovery !== false) await this.#startDiscovery();
  }

  /** The network cable pulled: listening stops, open connections are cut, probes go unanswered. */
  async unplug(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    const discovery = this.#discovery;
    this.#discovery = undefined;
    if (discovery) await new Promise<void>((resolve) => discovery.close(() => resolve()));
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  #cameraNow(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8' });
      res.end(body);
    };
    let request: SoapRequest;
    try {
      request = parseSoapRequest(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      if (this.silent) return;
      return send(
        400,
        soapFault({
          code: 'Sender',
          subcode: 'ter:WellFormed',
          reason: error instanceof Error ? error.message : String(error),
        }),
      );
    }
    this.requests.set(request.action, (this.requests.get(request.action) ?? 0) + 1);
    if (this.silent) return; // heard, never answered: the socket stays open until the client gives up
    if (request.action !== 'GetSystemDateAndTime') {
      const check = checkUsernameToken(request.token, this.#users, this.#cameraNow(), 5 * 60_000);
      const replayed = request.token !== undefined && this.#seenNonces.has(request.token.nonce);
      if (!check.ok || replayed) return send(400, soapFault(faults.notAuthorized));
      this.#remember(request.token!.nonce);
      const fault = this.faults.shift();
      if (fault) return send(faultStatus(fault), soapFault(fault));
    }
    const result = this.#handle(request);
    if ('fault' in result) send(faultStatus(result.fault), soapFault(result.fault));
    else send(200, soapEnvelope(result.body));
  }

  #remember(nonce: string): void {
    this.#seenNonces.add(nonce);
    if (this.#seenNonces.size > 4096) this.#seenNonces.delete(this.#seenNonces.values().next().value!);
  }

  #addresses(): answer.ServiceAddresses {
    const base = `http://${this.host}:${this.#port}/onvif`;
    return { device: `${base}/device_service`, media: `${base}/media_service`, ptz: `${base}/ptz_service` };
  }

  #handle(request: SoapRequest): { body: string } | { fault: SoapFault } {
    const { body, action } = request;
    const model = this.model;
    const profileToken = textOf(body, 'ProfileToken');
    if (PROFILE_ACTIONS.has(action) && !(profileToken !== undefined && model.profile(profileToken)))
      return { fault: faults.noProfile };
    const done = () => ({ body: answer.empty('tptz', action) });
    switch (action) {
      case 'GetSystemDateAndTime':
        return { body: answer.systemDateAndTime(this.#cameraNow()) };
      case 'GetServices':
        return { body: answer.services(this.#addresses()) };
      case 'GetCapabilities':
        return { body: answer.capabilities(this.#addresses()) };
      case 'GetDeviceInformation':
        return { body: answer.deviceInformation(this.#identity) };
      case 'GetProfiles':
        return { body: answer.profiles(model.profiles) };
      case 'GetVideoSources':
        return { body: answer.videoSources() };
      case 'GetStreamUri': {
        const protocol = textOf(body, 'StreamSetup', 'Transport', 'Protocol') ?? 'RTSP';
        if (!['RTSP', 'UDP', 'TCP'].includes(protocol))
          return { fault: faults.invalidArg(`transport ${protocol} is not offered`) };
        const { host, port } = this.#options.rtsp;
        return { body: answer.streamUri(`rtsp://${host}:${port}${model.profile(profileToken!)!.rtspPath}`) };
      }
      case 'GetStatus':
        return { body: answer.ptzStatus(model.position(), model.moving, this.#cameraNow()) };
      case 'ContinuousMove': {
        const velocity = vectorOf(child(body, 'Velocity'));
        if (!velocity) return { fault: faults.invalidArg('Velocity is missing') };
        const timeout = textOf(body, 'Timeout');
        model.continuousMove(velocity, timeout ? durationMs(timeout) : undefined);
        return done();
      }
      case 'Stop': {
        // An axis left out is stopped (ONVIF PTZ §5.3.5).
        const axis = (name: string) => textOf(body, name) !== 'false';
        model.stop(axis('PanTilt'), axis('Zoom'));
        return done();
      }
      case 'AbsoluteMove': {
        const position = vectorOf(child(body, 'Position'));
        if (!position) return { fault: faults.invalidArg('Position is missing') };
        model.absoluteMove(position);
        return done();
      }
      case 'RelativeMove': {
        const translation = vectorOf(child(body, 'Translation'));
        if (!translation) return { fault: faults.invalidArg('Translation is missing') };
        model.relativeMove(translation);
        return done();
      }
      case 'GotoHomePosition':
        model.gotoHome();
        return done();
      case 'SetHomePosition':
        model.setHome();
        return done();
      case 'GetPresets':
        return { body: answer.presets(model.presets()) };
      case 'SetPreset': {
        const wanted = textOf(body, 'PresetToken') || undefined;
        const token = model.setPreset(textOf(body, 'PresetName') ?? '', wanted);
        if (token === undefined) return { fault: wanted ? faults.noPreset : faults.tooManyPresets };
        return { body: answer.setPreset(token) };
      }
      case 'GotoPreset':
        return model.gotoPreset(textOf(body, 'PresetToken') ?? '') ? done() : { fault: faults.noPreset };
      case 'RemovePreset':
        return model.removePreset(textOf(body, 'PresetToken') ?? '') ? done() : { fault: faults.noPreset };
      default:
        return { fault: faults.actionNotSupported(action) };
    }
  }

  async #startDiscovery(): Promise<void> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(WS_DISCOVERY_PORT, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    try {
      socket.addMembership(WS_DISCOVERY_GROUP);
    } catch {
      // No multicast route (an isolated machine): probes cannot reach us; SOAP still works.
    }
    socket.on('error', () => undefined);
    socket.on('message', (message, from) => {
      const relatesTo = probeMessageId(message.toString('utf8'));
      if (relatesTo === undefined) return;
      const reply = answer.probeMatches({
        relatesTo,
        messageId: `urn:uuid:${randomUUID()}`,
        endpoint: this.uuid,
        xaddrs: [this.xaddr],
        scopes: [
          'onvif://www.onvif.org/type/video_encoder',
          'onvif://www.onvif.org/type/ptz',
          `onvif://www.onvif.org/hardware/${encodeURIComponent(this.#identity.model)}`,
          `onvif://www.onvif.org/name/${encodeURIComponent(this.#identity.manufacturer)}`,
        ],
      });
      socket.send(reply, from.port, from.address);
    });
    this.#discovery = socket;
  }
}

/** A WS-Discovery Probe for video transmitters (or for anything): its MessageID; undefined for other traffic. */
export function probeMessageId(xml: string): string | undefined {
  try {
    const envelope = parseXml(xml);
    const probe = child(envelope, 'Body', 'Probe');
    if (!probe) return undefined;
    const types = textOf(probe, 'Types') ?? '';
    if (types && !/(^|\s|:)NetworkVideoTransmitter(\s|$)/.test(types)) return undefined;
    return textOf(envelope, 'Header', 'MessageID') ?? '';
  } catch {
    return undefined;
  }
}

/** `<PanTilt x= y=/><Zoom x=/>` into a partial vector; undefined when neither is there. */
export function vectorOf(element: XmlElement | undefined): Partial<PtzVector> | undefined {
  if (!element) return undefined;
  const panTilt = child(element, 'PanTilt');
  const zoom = child(element, 'Zoom');
  if (!panTilt && !zoom) return undefined;
  const number = (text: string | undefined) =>
    text === undefined || Number.isNaN(Number(text)) ? undefined : Number(text);
  const vector: Partial<PtzVector> = {};
  const x = number(panTilt?.attributes.x);
  const y = number(panTilt?.attributes.y);
  const z = number(zoom?.attributes.x);
  if (x !== undefined) vector.x = x;
  if (y !== undefined) vector.y = y;
  if (z !== undefined) vector.zoom = z;
  return vector;
}

/** xs:duration as ONVIF timeouts use it (`PT1.5S`, `PT1M`); NaN-free: unreadable gives 0. */
export function durationMs(duration: string): number {
  const match = /^P(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration.trim());
  if (!match) return 0;
  return ((Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60 + Number(match[3] ?? 0)) * 1000;
}
