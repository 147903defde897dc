import onvif from 'onvif';
import type { Cam, CamProfile } from 'onvif';

/**
 * The npm `onvif` client (Profile S) behind promises, with one rule added: every call settles once,
 * within the endpoint's timeout, whatever the camera does. The library's own `connect()` is not used:
 * it throws from inside a socket callback on a camera whose profiles it cannot match to a video source
 * (an uncaught exception would take the daemon down); the steps it takes are done here instead.
 */

export interface OnvifEndpoint {
  host: string;
  port: number;
  /** The device service path, `/onvif/device_service` on nearly every camera. */
  path?: string;
  username: string;
  password: string;
  timeoutMs: number;
}

export type OnvifFailure = 'auth' | 'timeout' | 'unreachable' | 'fault';

/** A failed ONVIF call, classified so drivers pick the status or error type without reading messages twice. */
export class OnvifError extends Error {
  override name = 'OnvifError';
  constructor(
    message: string,
    readonly failure: OnvifFailure,
    readonly operation: string,
  ) {
    super(message);
  }
}

export function classifyOnvifError(error: unknown): OnvifFailure {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (/not ?authori[sz]ed|authentication failed|unauthori[sz]ed/i.test(message)) return 'auth';
  if (/network timeout|timed out/i.test(message)) return 'timeout';
  if (
    typeof code === 'string' &&
    /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|ETIMEDOUT)$/.test(code)
  )
    return 'unreachable';
  if (/socket hang up/i.test(message)) return 'unreachable';
  return 'fault';
}

export interface StreamProfile {
  token: string;
  name: string;
  encoding?: string;
  width?: number;
  height?: number;
  fps?: number;
  bitrateKbps?: number;
  hasPtz: boolean;
}

export interface DeviceIdentity {
  manufacturer?: string;
  model?: string;
  firmwareVersion?: string;
  serialNumber?: string;
}

export interface PtzReading {
  x: number;
  y: number;
  zoom: number;
  moving: boolean;
}

type Callback<T> = (error: Error | null, value?: T) => void;

const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export class OnvifClient {
  readonly #cam: Cam;
  readonly #timeoutMs: number;

  private constructor(cam: Cam, timeoutMs: number) {
    this.#cam = cam;
    this.#timeoutMs = timeoutMs;
  }

  /** GetSystemDateAndTime (unauthenticated, for the digest's clock), then GetServices or GetCapabilities. */
  static async connect(endpoint: OnvifEndpoint): Promise<OnvifClient> {
    const cam = new onvif.Cam({
      hostname: endpoint.host,
      port: endpoint.port,
      path: endpoint.path ?? '/onvif/device_service',
      username: endpoint.username,
      password: endpoint.password,
      timeout: endpoint.timeoutMs,
      autoconnect: false,
      // Cameras often answer with their LAN address in XAddrs; the address we reached them at is the one that works.
      preserveAddress: true,
    });
    const client = new OnvifClient(cam, endpoint.timeoutMs);
    await client.cameraTime();
    try {
      await client.#call<unknown>('GetServices', (done) => cam.getServices(true, done));
    } catch (error) {
      if (error instanceof OnvifError && error.failure !== 'fault') throw error;
      await client.#call<unknown>('GetCapabilities', (done) => cam.getCapabilities(done));
    }
    return client;
  }

  /** The camera's clock, as GetSystemDateAndTime gives it (whole seconds). */
  cameraTime(): Promise<Date> {
    return this.#call<Date>('GetSystemDateAndTime', (done) => this.#cam.getSystemDateAndTime(done));
  }

  async deviceInformation(): Promise<DeviceIdentity> {
    const info = await this.#call<Record<string, unknown>>('GetDeviceInformation', (done) =>
      this.#cam.getDeviceInformation(done),
    );
    const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));
    return {
      manufacturer: text(info.manufacturer),
      model: text(info.model),
      firmwareVersion: text(info.firmwareVersion),
      serialNumber: text(info.serialNumber),
    };
  }

  async profiles(): Promise<StreamProfile[]> {
    const profiles = await this.#call<CamProfile[]>('GetProfiles', (done) => this.#cam.getProfiles(done));
    return (profiles ?? []).map((profile) => {
      const encoder = profile.videoEncoderConfiguration as
        | {
            encoding?: unknown;
            resolution?: { width?: unknown; height?: unknown };
            rateControl?: { frameRateLimit?: unknown; bitrateLimit?: unknown };
          }
        | undefined;
      const result: StreamProfile = {
        token: String((profile.$ as { token?: unknown } | undefined)?.token ?? profile.token ?? ''),
        name: String(profile.name ?? ''),
        hasPtz: profile.PTZConfiguration !== undefined,
      };
      if (encoder?.encoding !== undefined) result.encoding = String(encoder.encoding);
      const width = asNumber(encoder?.resolution?.width);
      const height = asNumber(encoder?.resolution?.height);
      const fps = asNumber(encoder?.rateControl?.frameRateLimit);
      const bitrate = asNumber(encoder?.rateControl?.bitrateLimit);
      if (width !== undefined) result.width = width;
      if (height !== undefined) result.height = height;
      if (fps !== undefined) result.fps = fps;
      if (bitrate !== undefined) result.bitrateKbps = bitrate;
      return result;
    });
  }

  async streamUri(profileToken: string): Promise<string> {
    const media = await this.#call<{ uri?: unknown }>('GetStreamUri', (done) =>
      this.#cam.getStreamUri({ protocol: 'RTSP', stream: 'RTP-Unicast', profileToken }, done),
    );
    if (typeof media?.uri !== 'string') throw new OnvifError('GetStreamUri gave no URI', 'fault', 'GetStreamUri');
    return media.uri;
  }

  continuousMove(profileToken: string, velocity: { x?: number; y?: number; zoom?: number }): Promise<void> {
    const panTilt = velocity.x !== undefined || velocity.y !== undefined;
    return this.#act('ContinuousMove', (done) =>
      this.#cam.continuousMove(
        {
          profileToken,
          ...velocity,
          ...(panTilt ? { onlySendPanTilt: velocity.zoom === undefined } : { onlySendZoom: true }),
        },
        done,
      ),
    );
  }

  /** Both axes are always named: a Stop without them stops both (ONVIF PTZ §5.3.5), and the library omits `false`. */
  stop(profileToken: string, axes: { panTilt: boolean; zoom: boolean }): Promise<void> {
    return this.#act('Stop', (done) =>
      this.#cam.stop({ profileToken, panTilt: String(axes.panTilt), zoom: String(axes.zoom) }, done),
    );
  }

  absoluteMove(profileToken: string, position: { x: number; y: number; zoom: number }): Promise<void> {
    return this.#act('AbsoluteMove', (done) => this.#cam.absoluteMove({ profileToken, ...position }, done));
  }

  relativeMove(profileToken: string, translation: { x: number; y: number; zoom: number }): Promise<void> {
    return this.#act('RelativeMove', (done) => this.#cam.relativeMove({ profileToken, ...translation }, done));
  }

  gotoHome(profileToken: string): Promise<void> {
    return this.#act('GotoHomePosition', (done) => this.#cam.gotoHomePosition({ profileToken }, done));
  }

  /** Presets by name → token. */
  async presets(profileToken: string): Promise<Map<string, string>> {
    const byName = await this.#call<Record<string, { $?: { token?: unknown } }>>('GetPresets', (done) =>
      this.#cam.getPresets({ profileToken }, done),
    );
    return new Map(Object.entries(byName ?? {}).map(([name, preset]) => [String(name), String(preset.$?.token ?? '')]));
  }

  async setPreset(profileToken: string, name: string, token?: string): Promise<string> {
    const result = await this.#call<unknown>('SetPreset', (done) =>
      this.#cam.setPreset({ profileToken, presetName: name, ...(token ? { presetToken: token } : {}) }, done),
    );
    // This one call hands back the raw parsed body (arrays at every level), not a flattened object.
    const answered = (result as [{ setPresetResponse?: [{ presetToken?: [unknown] }] }] | undefined)?.[0]
      ?.setPresetResponse?.[0]?.presetToken?.[0];
    return answered !== undefined ? String(answered) : (token ?? '');
  }

  gotoPreset(profileToken: string, token: string): Promise<void> {
    return this.#act('GotoPreset', (done) => this.#cam.gotoPreset({ profileToken, preset: token }, done));
  }

  async status(profileToken: string): Promise<PtzReading> {
    const status = await this.#call<{
      position: { x: unknown; y: unknown; zoom: unknown };
      moveStatus?: { panTilt?: unknown; zoom?: unknown };
    }>('GetStatus', (done) => this.#cam.getStatus({ profileToken }, done));
    const moving = [status.moveStatus?.panTilt, status.moveStatus?.zoom].some(
      (state) => String(state ?? '').toUpperCase() === 'MOVING',
    );
    return { x: Number(status.position.x), y: Number(status.position.y), zoom: Number(status.position.zoom), moving };
  }

  #act(operation: string, start: (done: Callback<unknown>) => void): Promise<void> {
    return this.#call(operation, start).then(() => undefined);
  }

  /** One library call, settled once: by its callback, or by our own timer a little after the socket's. */
  #call<T>(operation: string, start: (done: Callback<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | null, value?: T) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(new OnvifError(`${operation}: ${error.message}`, classifyOnvifError(error), operation));
        else resolve(value as T);
      };
      const timer = setTimeout(() => settle(new Error('Network timeout')), this.#timeoutMs + 250);
      try {
        start(settle as Callback<T>);
      } catch (error) {
        settle(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }
}
