import type { Driver } from '../core/driver.js';
import type { AudioConfig } from './config.js';

export type AudioSource = AudioConfig;

export type AudioEvents = {
  muted: [muted: boolean];
};

export interface AudioDevice extends Driver<AudioEvents> {
  readonly kind: 'audio';
  readonly source: AudioSource;
  readonly muted: boolean;
  setMuted(muted: boolean): Promise<void>;
}
