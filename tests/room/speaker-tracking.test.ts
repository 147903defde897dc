import { describe, expect, it } from 'vitest';
import { speakerTrackingConfig } from '../../config/room-automation.js';
import { SpeakerTracker, angularDistance } from '../../kiosk/room/speaker-tracking.js';

// Citizen seat at 30°, officials' table at 150°, document camera corner at 270°.
const policy = speakerTrackingConfig.parse({
  enabled: true,
  presets: [
    { slot: 1, angle: 30 },
    { slot: 2, angle: 150 },
    { slot: 3, angle: 270 },
  ],
  holdMs: 2000,
  hysteresisDegrees: 20,
  maxDistanceDegrees: 50,
  manualPauseMs: 10_000,
});

type Step = { at: number; angle: number; voice?: boolean; expect?: number } | { at: number; manual: boolean };

/** Runs a script of readings; returns every recall as [ms, slot]. */
function run(steps: Step[], overrides: Partial<typeof policy> = {}): [number, number][] {
  const tracker = new SpeakerTracker({ ...policy, ...overrides });
  const recalls: [number, number][] = [];
  for (const step of steps) {
    if ('manual' in step) {
      tracker.manualMove(step.manual, step.at);
      continue;
    }
    const slot = tracker.observe({ angle: step.angle, voice: step.voice ?? true }, step.at);
    if (slot !== undefined) recalls.push([step.at, slot]);
  }
  return recalls;
}

/** A talker at `angle` speaking from `from` to `to`, one reading every 250 ms. */
function talk(angle: number, from: number, to: number, voice = true): Step[] {
  const steps: Step[] = [];
  for (let at = from; at <= to; at += 250) steps.push({ at, angle, voice });
  return steps;
}

describe('angularDistance', () => {
  it.each([
    [10, 350, 20],
    [350, 10, 20],
    [0, 180, 180],
    [90, 90, 0],
    [720, 0, 0],
    [-30, 30, 60],
  ])('%d° to %d° is %d°', (a, b, d) => {
    expect(angularDistance(a, b)).toBe(d);
  });
});

describe('SpeakerTracker', () => {
  it.each<{ name: string; steps: Step[]; recalls: [number, number][]; overrides?: Partial<typeof policy> }>([
    {
      name: 'recalls the nearest preset once the talker has held the floor for holdMs',
      steps: talk(40, 0, 3000),
      recalls: [[2000, 1]],
    },
    { name: 'a talk shorter than holdMs moves nothing', steps: talk(40, 0, 1750), recalls: [] },
    { name: 'silence and readings without voice never move the camera', steps: talk(150, 0, 5000, false), recalls: [] },
    { name: 'voice far from every preset (a door at 210°) is ignored', steps: talk(210, 0, 5000), recalls: [] },
    { name: 'angles wrap around 0°', steps: talk(350, 0, 2000), recalls: [[2000, 1]] },
    {
      name: 'the conversation moves: one recall per talker, none while the same talker goes on',
      steps: [...talk(30, 0, 3000), ...talk(150, 3250, 8000)],
      recalls: [
        [2000, 1],
        [5250, 2],
      ],
    },
    {
      name: 'hysteresis: a talker between two presets, slightly nearer the other, does not move the camera',
      // At 95°: 65° from slot 1, 55° from slot 2: only 10° nearer, under the 20° hysteresis.
      steps: [...talk(30, 0, 2000), ...talk(95, 2250, 8000)],
      recalls: [[2000, 1]],
      overrides: { maxDistanceDegrees: 90 },
    },
    {
      name: 'without hysteresis the same talker does move the camera',
      steps: [...talk(30, 0, 2000), ...talk(95, 2250, 8000)],
      recalls: [
        [2000, 1],
        [4250, 2],
      ],
      overrides: { maxDistanceDegrees: 90, hysteresisDegrees: 0 },
    },
    {
      name: 'clearly nearer another preset (beyond the hysteresis) moves',
      steps: [...talk(30, 0, 2000), ...talk(120, 2250, 8000)],
      recalls: [
        [2000, 1],
        [4250, 2],
      ],
    },
    {
      name: 'interruptions restart the hold: alternating talkers faster than holdMs move nothing',
      steps: [...talk(30, 0, 1500), ...talk(150, 1750, 3250), ...talk(30, 3500, 5000), ...talk(150, 5250, 6750)],
      recalls: [],
    },
    {
      name: 'a pause in speech shorter than holdMs keeps the hold running',
      steps: [...talk(150, 0, 1000), ...talk(150, 1250, 1750, false), ...talk(150, 2000, 2500)],
      recalls: [[2000, 2]],
    },
    {
      name: 'a pause longer than holdMs restarts it',
      steps: [...talk(150, 0, 1500), ...talk(150, 1750, 4000, false), ...talk(150, 4250, 6500)],
      recalls: [[6250, 2]],
    },
    {
      name: 'never during a manual move, nor for manualPauseMs after it',
      steps: [{ at: 0, manual: true }, ...talk(150, 0, 5000), { at: 5000, manual: false }, ...talk(150, 5250, 16_000)],
      recalls: [[15_000, 2]],
    },
    {
      name: 'after a manual move the camera is no longer at a preset: the same talker is framed again',
      steps: [...talk(30, 0, 2000), { at: 2100, manual: true }, { at: 2200, manual: false }, ...talk(30, 2250, 13_000)],
      recalls: [
        [2000, 1],
        [12_250, 1],
      ],
    },
    {
      name: 'at most one recall per holdMs even when talkers alternate at exactly holdMs',
      steps: [...talk(30, 0, 2000), ...talk(270, 2250, 4250), ...talk(150, 4500, 6500)],
      recalls: [
        [2000, 1],
        [4250, 3],
        [6500, 2],
      ],
    },
  ])('$name', ({ steps, recalls, overrides }) => {
    expect(run(steps, overrides)).toEqual(recalls);
  });

  it('a failed recall makes the same preset eligible again', () => {
    const tracker = new SpeakerTracker(policy);
    for (let at = 0; at <= 2000; at += 250) tracker.observe({ angle: 30, voice: true }, at);
    expect(tracker.current).toBe(1);
    tracker.recallFailed();
    const again: number[] = [];
    for (let at = 2250; at <= 5000; at += 250) {
      const slot = tracker.observe({ angle: 30, voice: true }, at);
      if (slot !== undefined) again.push(at);
    }
    expect(again).toEqual([4250]);
  });
});
