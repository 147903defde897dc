import type { Devices } from '../../../hal/registry.js';
import type { MediaProbePort } from '../ports.js';
import { CLIPPING_PEAK_DB, SILENCE_RMS_DB } from '../levels.js';
import type { ReadinessCheck } from '../types.js';
import { deviceDown, none, outcome } from './common.js';
import { describeError } from '../../../hal/core/describe-error.js';
import { readinessText as say } from '../../messages/readiness.js';

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Camera producing live frames: connected, and its picture neither black nor frozen. */
export function cameraCheck(devices: () => Devices, media: MediaProbePort): ReadinessCheck {
  return {
    id: 'camera',
    timeoutMs: 15_000,
    uses: ['camera'],
    async run(_target, signal) {
      const camera = devices().camera;
      if (!camera) return outcome('fail', none, say('cameraMissing'));
      if (camera.status !== 'ok') return deviceDown('camera', camera.snapshot());
      if (!media.cameraFrames) {
        const reason = media.unsupported?.cameraFrames;
        return outcome('warn', { value: 'ok' }, say('cameraNotAnalysed', { reason: reason ?? '' }));
      }
      try {
        const frames = await media.cameraFrames(signal);
        const measured = { value: round(frames.meanLuma), unit: 'luma/255' };
        if (frames.black) return outcome('fail', measured, say('cameraBlack', { luma: round(frames.meanLuma) }));
        if (frames.frozen) return outcome('fail', measured, say('cameraFrozen', { frames: frames.frames }));
        return outcome('pass', measured, say('cameraLive', { frames: frames.frames, luma: round(frames.meanLuma) }));
      } catch (error) {
        return outcome('fail', none, say('cameraNoPicture', { error: describeError(error) }));
      }
    },
  };
}

/** PTZ head answers a position inquiry; the time it took is the measured value. */
export function ptzCheck(devices: () => Devices): ReadinessCheck {
  return {
    id: 'ptz',
    timeoutMs: 5_000,
    async run() {
      const ptz = devices().ptz;
      if (!ptz) return outcome('unsupported', none, say('ptzMissing'));
      if (ptz.status !== 'ok') return deviceDown('ptz', ptz.snapshot());
      const started = performance.now();
      try {
        const position = await ptz.position();
        const ms = round(performance.now() - started);
        return outcome(
          'pass',
          { value: ms, unit: 'ms' },
          say('ptzAnswered', { ms, pan: position.pan, tilt: position.tilt, zoom: position.zoom }),
        );
      } catch (error) {
        return outcome('fail', none, say('ptzSilent', { error: describeError(error) }));
      }
    },
  };
}

/** Microphone gives a signal, not silence, and is not clipping. */
export function microphoneCheck(devices: () => Devices, media: MediaProbePort): ReadinessCheck {
  return {
    id: 'microphone',
    timeoutMs: 15_000,
    uses: ['microphone'],
    async run(_target, signal) {
      const audio = devices().audio;
      if (!audio) return outcome('fail', none, say('microphoneMissing'));
      if (audio.status !== 'ok') return deviceDown('microphone', audio.snapshot());
      if (!media.audioLevels)
        return outcome('unsupported', none, media.unsupported?.audioLevels ?? say('microphoneNotMeasurable'));
      try {
        const levels = await media.audioLevels(signal);
        const measured = { value: round(levels.rmsDb), unit: 'dBFS rms' };
        if (audio.muted) return outcome('warn', measured, say('microphoneMuted'));
        if (levels.rmsDb < SILENCE_RMS_DB) return outcome('fail', measured, say('microphoneSilent'));
        if (levels.peakDb >= CLIPPING_PEAK_DB) return outcome('warn', measured, say('microphoneClipping'));
        return outcome('pass', measured, say('microphoneGood'));
      } catch (error) {
        return outcome('fail', none, say('microphoneUnmeasured', { error: describeError(error) }));
      }
    },
  };
}

/** Speaker → microphone: a tone played in the room is heard back. */
export function loopbackCheck(media: MediaProbePort): ReadinessCheck {
  return {
    id: 'loopback',
    timeoutMs: 15_000,
    uses: ['microphone', 'speaker'],
    async run(_target, signal) {
      if (!media.loopbackTone) {
        const reason = media.unsupported?.loopbackTone;
        return outcome('unsupported', none, reason ?? say('loopbackNotHere'));
      }
      try {
        const heard = await media.loopbackTone(signal);
        const measured = { value: heard.levelDb === null ? null : round(heard.levelDb), unit: 'dBFS' };
        return heard.detected
          ? outcome('pass', measured, say('loopbackHeard'))
          : outcome('fail', measured, say('loopbackNotHeard'));
      } catch (error) {
        return outcome('fail', none, say('loopbackCrashed', { error: describeError(error) }));
      }
    },
  };
}

export function displayCheck(devices: () => Devices): ReadinessCheck {
  return {
    id: 'display',
    timeoutMs: 5_000,
    async run() {
      const display = devices().display;
      if (!display) return outcome('warn', none, say('displayMissing'));
      if (display.status !== 'ok') return deviceDown('display', display.snapshot());
      try {
        if ((await display.state()).on) return outcome('pass', { value: true }, say('displayOn'));
        // Asleep outside reception hours is normal: the test is whether it wakes when told to.
        await display.setPower(true);
        return (await display.state()).on
          ? outcome('pass', { value: true }, say('displayWoke'))
          : outcome('fail', { value: false }, say('displayStaysOff'));
      } catch (error) {
        return outcome('fail', none, say('displaySilent', { error: describeError(error) }));
      }
    },
  };
}

/** UPS on mains, with battery runtime for the whole session plus the power policy's margin. */
export function upsCheck(devices: () => Devices, marginSeconds: number): ReadinessCheck {
  return {
    id: 'ups',
    timeoutMs: 5_000,
    async run(target) {
      const ups = devices().ups;
      if (!ups) return outcome('warn', none, say('upsMissing'));
      if (ups.status !== 'ok') return deviceDown('ups', ups.snapshot());
      const reading = ups.reading;
      if (!reading) return outcome('fail', none, say('upsNoReading'));
      if (reading.flags.includes('OB') || !reading.flags.includes('OL'))
        return outcome('fail', { value: reading.flags.join(' ') }, say('upsOnBattery'));
      const needed = Math.ceil(target.durationSeconds + marginSeconds);
      if (reading.batteryRuntime === null) return outcome('warn', { value: null, unit: 's' }, say('upsNoRuntime'));
      const measured = { value: reading.batteryRuntime, unit: 's' };
      const minutes = (s: number) => Math.floor(s / 60);
      if (reading.batteryRuntime < needed)
        return outcome(
          'fail',
          measured,
          say('upsShortRuntime', { runtime: minutes(reading.batteryRuntime), needed: minutes(needed) }),
        );
      return outcome(
        'pass',
        measured,
        say('upsGood', { runtime: minutes(reading.batteryRuntime), needed: minutes(needed) }),
      );
    },
  };
}
