import { writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { CameraConfig } from '../../hal/camera/config.js';
import type { PtzConfig } from '../../hal/ptz/config.js';
import { OnvifError } from '../../hal/ptz/onvif/client.js';
import { credentialProblem } from '../../hal/ptz/onvif/mapping.js';
import {
  describeOnvifCamera,
  probeOnvifCameras,
  type DiscoveredOnvifCamera,
  type OnvifCameraDescription,
} from '../../hal/ptz/onvif/discovery.js';
import { DomainError, type ErrorCategory } from '../core/domain-error.js';
import { fileModes, makeDir } from '../core/file-modes.js';
import type { Logger } from '../core/logger.js';

type OnvifSetupProblem =
  | 'unusable-credentials'
  | 'not-authorized'
  | 'unreachable'
  | 'timeout'
  | 'camera-fault'
  | 'no-such-profile';

const categoryOf: Record<OnvifSetupProblem, ErrorCategory> = {
  'unusable-credentials': 'invalid',
  // The camera understood the login and refused it: not the console's own 401.
  'not-authorized': 'unprocessable',
  'no-such-profile': 'not-found',
  unreachable: 'upstream-failed',
  timeout: 'timeout',
  'camera-fault': 'upstream-failed',
};

/** A failure of the set-up in the feature's own words; the code is `onvif_<kind>`. */
export class OnvifSetupError extends DomainError {
  override name = 'OnvifSetupError';
  constructor(
    readonly kind: OnvifSetupProblem,
    message: string,
  ) {
    super(categoryOf[kind], `onvif_${kind.replaceAll('-', '_')}`, message);
  }
}

export interface CameraLogin {
  /** The device service address from discovery (or typed in): http://host[:port]/onvif/device_service. */
  xaddr: string;
  username: string;
  password: string;
}

/** What choosing a profile gives: the room profile's `hal.camera` and `hal.ptz`, the password in a secrets file. */
export interface ChosenCamera {
  camera: Extract<CameraConfig, { driver: 'rtsp' }>;
  ptz: Extract<PtzConfig, { driver: 'onvif' }> | null;
  passwordFile: string;
}

export interface OnvifSetupOptions {
  /** `<dataDir>/secrets`: 0700, owned by the daemon's user, files 0600. */
  secretsDir: string;
  logger: Logger;
  timeoutMs?: number;
}

/**
 * The technician's path from "a camera on the LAN" to a room profile: WS-Discovery, then a login that
 * reads model, profiles and stream addresses, then a choice that stores the password as a secret and
 * answers the config to use. Passwords are never logged, never answered, never put in a URL.
 */
export class OnvifSetup {
  constructor(private readonly options: OnvifSetupOptions) {}

  discover(timeoutMs: number): Promise<DiscoveredOnvifCamera[]> {
    return probeOnvifCameras(timeoutMs);
  }

  async describe(login: CameraLogin): Promise<OnvifCameraDescription> {
    const problem = credentialProblem(login.username, login.password);
    if (problem) throw new OnvifSetupError('unusable-credentials', problem);
    try {
      return await describeOnvifCamera({
        ...deviceService(login.xaddr),
        username: login.username,
        password: login.password,
        timeoutMs: this.options.timeoutMs ?? 3000,
      });
    } catch (error) {
      throw asSetupError(error);
    }
  }

  async choose(login: CameraLogin, profileToken: string): Promise<ChosenCamera> {
    const description = await this.describe(login);
    const profile = description.profiles.find((p) => p.token === profileToken);
    if (!profile)
      throw new OnvifSetupError(
        'no-such-profile',
        `the camera has no profile "${profileToken}" (it has ${description.profiles.map((p) => p.token).join(', ')})`,
      );
    const service = deviceService(login.xaddr);
    const passwordFile = join(
      this.options.secretsDir,
      `onvif-${service.host.replace(/[^A-Za-z0-9.-]/g, '_')}-${service.port}.password`,
    );
    await makeDir(this.options.secretsDir, fileModes.privateDir);
    // Written beside, then renamed: a reader never sees half a password.
    await writeFile(`${passwordFile}.new`, `${login.password}\n`, { mode: fileModes.privateFile });
    await rename(`${passwordFile}.new`, passwordFile);
    this.options.logger.info(
      { camera: service.host, port: service.port, profile: profileToken, passwordFile },
      'ONVIF camera chosen; its password is stored as a secret',
    );
    const camera: ChosenCamera['camera'] = {
      driver: 'rtsp',
      url: profile.streamUrl,
      username: login.username,
      passwordFile,
      latencyMs: 200,
      width: profile.width ?? 1920,
      height: profile.height ?? 1080,
      fps: Math.min(60, Math.max(1, Math.round(profile.fps ?? 25))),
    };
    const ptz: ChosenCamera['ptz'] = profile.hasPtz
      ? {
          driver: 'onvif',
          host: service.host,
          port: service.port,
          path: service.path,
          username: login.username,
          passwordFile,
          profileToken,
          timeoutMs: 3000,
          checkMs: 10_000,
        }
      : null;
    return { camera, ptz, passwordFile };
  }
}

export function deviceService(xaddr: string): { host: string; port: number; path: string } {
  const url = new URL(xaddr);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 80,
    path: url.pathname || '/onvif/device_service',
  };
}

function asSetupError(error: unknown): Error {
  if (!(error instanceof OnvifError)) return error instanceof Error ? error : new Error(String(error));
  switch (error.failure) {
    case 'auth':
      return new OnvifSetupError('not-authorized', 'the camera refused this user name and password');
    case 'timeout':
      return new OnvifSetupError('timeout', `the camera did not answer ${error.operation} in time`);
    case 'unreachable':
      return new OnvifSetupError('unreachable', error.message);
    case 'fault':
      return new OnvifSetupError('camera-fault', error.message);
  }
}
