/**
 * What the emulated ONVIF camera does, without any I/O: a PTZ head in ONVIF's generic spaces (pan and
 * tilt −1…1, zoom 0…1), continuous moves integrated over time from an injected clock, presets and a
 * home position in the camera's memory, and the media profiles it offers. Goto moves arrive at once:
 * the emulator is for the protocol, not the motors.
 */
export interface PtzVector {
  x: number;
  y: number;
  zoom: number;
}

export interface MediaProfile {
  token: string;
  name: string;
  encoding: 'H264' | 'H265' | 'JPEG';
  width: number;
  height: number;
  fps: number;
  bitrateKbps: number;
  /** The path on the RTSP server that serves this profile, e.g. `/main`. */
  rtspPath: string;
}

export interface Preset {
  token: string;
  name: string;
  position: PtzVector;
}

export interface CameraModelOptions {
  profiles: MediaProfile[];
  now: () => number;
  /** Generic-space units per second at velocity 1 (a real head crosses its range in a few seconds). */
  unitsPerSecond?: number;
  maxPresets?: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const clampVector = (v: PtzVector): PtzVector => ({
  x: clamp(v.x, -1, 1),
  y: clamp(v.y, -1, 1),
  zoom: clamp(v.zoom, 0, 1),
});

export class OnvifCameraModel {
  readonly profiles: readonly MediaProfile[];
  /** Every PTZ operation in arrival order, for tests and the emulator's `state` command. */
  readonly operations: string[] = [];
  #position: PtzVector = { x: 0, y: 0, zoom: 0 };
  #velocity: PtzVector = { x: 0, y: 0, zoom: 0 };
  #moveEndsAt = Infinity;
  #since: number;
  #home: PtzVector = { x: 0, y: 0, zoom: 0 };
  #presets = new Map<string, Preset>();
  #nextToken = 1;
  readonly #now: () => number;
  readonly #unitsPerSecond: number;
  readonly #maxPresets: number;

  constructor(options: CameraModelOptions) {
    this.profiles = options.profiles;
    this.#now = options.now;
    this.#since = options.now();
    this.#unitsPerSecond = options.unitsPerSecond ?? 0.5;
    this.#maxPresets = options.maxPresets ?? 32;
  }

  profile(token: string): MediaProfile | undefined {
    return this.profiles.find((p) => p.token === token);
  }

  position(): PtzVector {
    this.#advance();
    return { ...this.#position };
  }

  get moving(): boolean {
    this.#advance();
    return this.#velocity.x !== 0 || this.#velocity.y !== 0 || this.#velocity.zoom !== 0;
  }

  /** The velocity a continuous move currently drives (0 when stopped), read by tests. */
  velocity(): PtzVector {
    this.#advance();
    return { ...this.#velocity };
  }

  continuousMove(velocity: Partial<PtzVector>, timeoutMs?: number): void {
    this.#advance();
    this.operations.push('ContinuousMove');
    this.#velocity = {
      x: clamp(velocity.x ?? this.#velocity.x, -1, 1),
      y: clamp(velocity.y ?? this.#velocity.y, -1, 1),
      zoom: clamp(velocity.zoom ?? this.#velocity.zoom, -1, 1),
    };
    this.#moveEndsAt = timeoutMs === undefined ? Infinity : this.#now() + timeoutMs;
  }

  stop(panTilt: boolean, zoom: boolean): void {
    this.#advance();
    this.operations.push('Stop');
    this.#velocity = {
      x: panTilt ? 0 : this.#velocity.x,
      y: panTilt ? 0 : this.#velocity.y,
      zoom: zoom ? 0 : this.#velocity.zoom,
    };
  }

  absoluteMove(position: Partial<PtzVector>): void {
    this.#arrive('AbsoluteMove', { ...this.position(), ...position });
  }

  relativeMove(translation: Partial<PtzVector>): void {
    const here = this.position();
    this.#arrive('RelativeMove', {
      x: here.x + (translation.x ?? 0),
      y: here.y + (translation.y ?? 0),
      zoom: here.zoom + (translation.zoom ?? 0),
    });
  }

  gotoHome(): void {
    this.#arrive('GotoHomePosition', this.#home);
  }

  setHome(): void {
    this.operations.push('SetHomePosition');
    this.#home = this.position();
  }

  presets(): Preset[] {
    return [...this.#presets.values()].map((p) => ({ ...p, position: { ...p.position } }));
  }

  /** Stores the current position; an existing token is overwritten, else a new one is made. Undefined when memory is full. */
  setPreset(name: string, token?: string): string | undefined {
    this.operations.push('SetPreset');
    if (token !== undefined && !this.#presets.has(token)) return undefined;
    if (token === undefined && this.#presets.size >= this.#maxPresets) return undefined;
    const chosen = token ?? String(this.#nextToken++);
    this.#presets.set(chosen, { token: chosen, name, position: this.position() });
    return chosen;
  }

  gotoPreset(token: string): boolean {
    const preset = this.#presets.get(token);
    if (!preset) return false;
    this.#arrive('GotoPreset', preset.position);
    return true;
  }

  removePreset(token: string): boolean {
    this.operations.push('RemovePreset');
    return this.#presets.delete(token);
  }

  #arrive(operation: string, target: PtzVector): void {
    this.#advance();
    this.operations.push(operation);
    this.#velocity = { x: 0, y: 0, zoom: 0 };
    this.#position = clampVector(target);
  }

  /** Integrates the running continuous move up to now (or up to its timeout). */
  #advance(): void {
    const now = this.#now();
    const until = Math.min(now, this.#moveEndsAt);
    const seconds = Math.max(0, until - this.#since) / 1000;
    const step = this.#unitsPerSecond * seconds;
    this.#position = clampVector({
      x: this.#position.x + this.#velocity.x * step,
      y: this.#position.y + this.#velocity.y * step,
      zoom: this.#position.zoom + this.#velocity.zoom * step,
    });
    if (now >= this.#moveEndsAt) {
      this.#velocity = { x: 0, y: 0, zoom: 0 };
      this.#moveEndsAt = Infinity;
    }
    this.#since = now;
  }
}
