import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DriverContext } from '../../core/driver.js';
import { RtspTestServer } from '../../camera/rtsp/test-server.js';
import { defaultProfiles, OnvifCameraEmulator } from './emulator.js';
import { OnvifPtz, type OnvifPtzOptions } from './driver.js';

export interface EmulatedOnvifOptions {
  username: string;
  passwordFile: string;
  onvifPort: number;
  rtspPort: number;
  clockOffsetMs: number;
  timeoutMs: number;
  checkMs: number;
}

/**
 * Sim mode with a network PTZ camera: the ONVIF emulator (SOAP on 127.0.0.1) and GStreamer's RTSP server
 * streaming its profiles, both with one user and password, and the real `onvif` driver talking to them.
 * The RTSP camera of the same profile (`hal.camera` = `rtsp://127.0.0.1:<rtspPort>/main`, the same
 * `passwordFile`) is captured by the media worker as any IP camera is.
 */
export class EmulatedOnvifPtz extends OnvifPtz {
  override readonly driverName = 'onvif-emulated';
  readonly camera: OnvifCameraEmulator;
  readonly rtsp: RtspTestServer;
  readonly #emulated: EmulatedOnvifOptions;

  constructor(context: DriverContext, options: EmulatedOnvifOptions) {
    const driver: OnvifPtzOptions = {
      host: '127.0.0.1',
      port: options.onvifPort,
      path: '/onvif/device_service',
      username: options.username,
      passwordFile: options.passwordFile,
      timeoutMs: options.timeoutMs,
      checkMs: options.checkMs,
    };
    super(context, driver);
    this.#emulated = options;
    // The emulator's password is set at open, once the file is read (a constructor does no I/O).
    this.camera = new OnvifCameraEmulator({
      port: options.onvifPort,
      username: options.username,
      password: '',
      rtsp: { host: '127.0.0.1', port: options.rtspPort },
      clockOffsetMs: options.clockOffsetMs,
    });
    this.rtsp = new RtspTestServer({
      port: options.rtspPort,
      mounts: defaultProfiles.map((p) => ({ path: p.rtspPath, width: p.width, height: p.height, fps: p.fps })),
      username: options.username,
      passwordFile: options.passwordFile,
    });
  }

  protected override endpoint() {
    return { host: this.camera.host, port: this.camera.port, path: '/onvif/device_service' };
  }

  protected override async open(): Promise<void> {
    this.camera.setPassword(await this.#password());
    await this.camera.plugIn();
    if (!this.rtsp.running) await this.rtsp.start();
    await super.open();
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.camera.unplug();
    await this.rtsp.stop();
  }

  /** The simulated camera's password: kept in its file like a real one's, made at random the first time. */
  async #password(): Promise<string> {
    const file = this.#emulated.passwordFile;
    try {
      return (await readFile(file, 'utf8')).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const password = randomBytes(12).toString('base64url');
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
    return password;
  }
}
