/**
 * Decides from a few small grey frames whether a camera shows a live picture: not black (lens
 * cap, dead sensor, HDMI with no signal) and not frozen (a stuck capture repeating one frame).
 */

export interface FrameAnalysis {
  frames: number;
  /** Mean luma of all frames, 0…255. */
  meanLuma: number;
  /** Largest mean absolute difference between consecutive frames, 0…255. */
  maxChange: number;
  /** Share of pixels brighter than BLACK_LUMA, 0…1. */
  brightShare: number;
  black: boolean;
  frozen: boolean;
}

/** Pixels at or below this luma are dark (video black is 16 in limited range, plus sensor noise). */
export const BLACK_LUMA = 32;
/**
 * A picture is black when almost no pixel is brighter than that: a lens cap or a dead input. The
 * mean alone would call a dark scene with one small lit object black (the simulator's ball on
 * black is 0.14 % of the picture); a share of bright pixels does not. 0.05 % tolerates a hot pixel.
 */
export const BLACK_BRIGHT_SHARE = 0.0005;
/** Below this mean per-pixel change, consecutive frames are the same picture (sensor noise alone exceeds it). */
export const FROZEN_CHANGE = 0.2;

export function analyseFrames(frames: readonly Uint8Array[]): FrameAnalysis {
  if (frames.length === 0) return { frames: 0, meanLuma: 0, maxChange: 0, brightShare: 0, black: true, frozen: true };
  let lumaSum = 0;
  let pixels = 0;
  let bright = 0;
  let maxChange = 0;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    for (const value of frame) {
      lumaSum += value;
      if (value > BLACK_LUMA) bright++;
    }
    pixels += frame.length;
    if (i > 0) {
      const previous = frames[i - 1]!;
      const length = Math.min(previous.length, frame.length);
      let change = 0;
      for (let p = 0; p < length; p++) change += Math.abs(frame[p]! - previous[p]!);
      maxChange = Math.max(maxChange, length === 0 ? 0 : change / length);
    }
  }
  const meanLuma = pixels === 0 ? 0 : lumaSum / pixels;
  const brightShare = pixels === 0 ? 0 : bright / pixels;
  return {
    frames: frames.length,
    meanLuma,
    maxChange,
    brightShare,
    black: brightShare < BLACK_BRIGHT_SHARE,
    frozen: frames.length < 2 || maxChange < FROZEN_CHANGE,
  };
}

/** Cuts a raw stream of fixed-size frames; a trailing partial frame is dropped. */
export function splitFrames(raw: Buffer, frameBytes: number): Buffer[] {
  const frames: Buffer[] = [];
  for (let offset = 0; offset + frameBytes <= raw.length; offset += frameBytes)
    frames.push(raw.subarray(offset, offset + frameBytes));
  return frames;
}
