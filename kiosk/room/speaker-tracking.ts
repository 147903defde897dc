import type { DoaReading } from '../../hal/audio/doa/types.js';
import type { SpeakerTrackingConfig } from '../../config/room-automation.js';

/** Smallest angle between two directions, 0…180. */
export function angularDistance(a: number, b: number): number {
  const d = Math.abs((((a - b) % 360) + 360) % 360);
  return d > 180 ? 360 - d : d;
}

type Policy = Pick<
  SpeakerTrackingConfig,
  'presets' | 'holdMs' | 'hysteresisDegrees' | 'maxDistanceDegrees' | 'manualPauseMs'
>;

/**
 * Speaker tracking (pure, time passed in): which preset the camera should recall, given
 * direction-of-arrival readings. The talker must hold the floor for `holdMs` before the camera moves,
 * a preset must be nearer than the current one by `hysteresisDegrees` to move away from it, at most
 * one recall per `holdMs`, and never while (or just after) someone moves the camera by hand.
 */
export class SpeakerTracker {
  /** The preset the camera is at, as far as tracking knows; unknown after a manual move. */
  #current: number | undefined;
  #candidate: { slot: number; since: number } | undefined;
  #lastVoiceAt = Number.NEGATIVE_INFINITY;
  #lastRecallAt = Number.NEGATIVE_INFINITY;
  #manual = false;
  #manualEndedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly policy: Policy) {}

  get current(): number | undefined {
    return this.#current;
  }

  /** Returns the preset slot to recall now, or undefined. */
  observe(reading: DoaReading, nowMs: number): number | undefined {
    const { holdMs } = this.policy;
    if (!reading.voice) {
      if (this.#candidate && nowMs - this.#lastVoiceAt > holdMs) this.#candidate = undefined;
      return undefined;
    }
    this.#lastVoiceAt = nowMs;
    const target = this.#target(reading.angle);
    if (target === undefined) return undefined;
    if (target === this.#current) {
      this.#candidate = undefined;
      return undefined;
    }
    if (this.#candidate?.slot !== target) this.#candidate = { slot: target, since: nowMs };
    if (this.#manual || nowMs - this.#manualEndedAt < this.policy.manualPauseMs) return undefined;
    if (nowMs - this.#candidate.since < holdMs || nowMs - this.#lastRecallAt < holdMs) return undefined;
    this.#lastRecallAt = nowMs;
    this.#current = target;
    this.#candidate = undefined;
    return target;
  }

  /** A recall that failed: the camera is not where tracking believed. */
  recallFailed(): void {
    this.#current = undefined;
  }

  manualMove(active: boolean, nowMs: number): void {
    if (active) {
      this.#manual = true;
      this.#current = undefined;
      this.#candidate = undefined;
    } else if (this.#manual) {
      this.#manual = false;
      this.#manualEndedAt = nowMs;
    }
  }

  #target(angle: number): number | undefined {
    let nearest: { slot: number; distance: number } | undefined;
    for (const preset of this.policy.presets) {
      const distance = angularDistance(angle, preset.angle);
      if (!nearest || distance < nearest.distance) nearest = { slot: preset.slot, distance };
    }
    if (!nearest || nearest.distance > this.policy.maxDistanceDegrees) return undefined;
    const current = this.policy.presets.find((p) => p.slot === this.#current);
    if (
      current &&
      current.slot !== nearest.slot &&
      angularDistance(angle, current.angle) - nearest.distance < this.policy.hysteresisDegrees
    )
      return current.slot;
    return nearest.slot;
  }
}
