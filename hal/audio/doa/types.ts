import type { Driver } from '../../core/driver.js';

/** One direction-of-arrival estimate from a microphone array. */
export interface DoaReading {
  /** Degrees 0…360 in the array's own frame (0 = its marked front, counter-clockwise). */
  angle: number;
  /** The array's voice-activity flag: a direction without voice is the fan or the corridor. */
  voice: boolean;
}

export type DoaEvents = {
  reading: [reading: DoaReading];
};

export interface DoaSource extends Driver<DoaEvents> {
  readonly kind: 'audio';
}
