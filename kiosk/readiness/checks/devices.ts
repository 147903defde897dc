import type { Devices } from '../../../hal/registry.js';
import type { MediaProbePort } from '../ports.js';
import { CLIPPING_PEAK_DB, SILENCE_RMS_DB } from '../levels.js';
import type { ReadinessCheck } from '../types.js';
import { deviceDown, none, outcome } from './common.js';
import { describeError } from '../../../hal/core/describe-error.js';

const CAMERA = { vi: 'Camera', en: 'The camera' };
const PTZ = { vi: 'Đầu quay PTZ', en: 'The PTZ head' };
const MICROPHONE = { vi: 'Micro', en: 'The microphone' };
const DISPLAY = { vi: 'Màn hình', en: 'The display' };
const UPS = { vi: 'Bộ lưu điện (UPS)', en: 'The UPS' };

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Camera producing live frames: connected, and its picture neither black nor frozen. */
export function cameraCheck(devices: () => Devices, media: MediaProbePort): ReadinessCheck {
  return {
    id: 'camera',
    timeoutMs: 15_000,
    uses: ['camera'],
    async run(_target, signal) {
      const camera = devices().camera;
      if (!camera)
        return outcome(
          'fail',
          none,
          'Chưa cấu hình camera: phòng tiếp phải có camera ghi toàn bộ buổi tiếp.',
          'No camera is configured: the room must have a camera recording the whole session.',
        );
      if (camera.status !== 'ok') return deviceDown(CAMERA, camera.snapshot());
      if (!media.cameraFrames) {
        const reason = media.unsupported?.cameraFrames;
        return outcome(
          'warn',
          { value: 'ok' },
          `Camera đã kết nối nhưng chưa phân tích được hình ảnh. ${reason?.vi ?? ''}`.trim(),
          `The camera is connected but its picture could not be analysed. ${reason?.en ?? ''}`.trim(),
        );
      }
      try {
        const frames = await media.cameraFrames(signal);
        const measured = { value: round(frames.meanLuma), unit: 'luma/255' };
        if (frames.black)
          return outcome(
            'fail',
            measured,
            `Hình ảnh camera toàn màu đen (độ sáng ${round(frames.meanLuma)}/255): kiểm tra nắp ống kính, đèn phòng và cáp tín hiệu.`,
            `The camera picture is black (luma ${round(frames.meanLuma)}/255): check the lens cap, the room lights and the video cable.`,
          );
        if (frames.frozen)
          return outcome(
            'fail',
            measured,
            `Hình ảnh camera bị đứng (${frames.frames} khung hình giống nhau): khởi động lại camera.`,
            `The camera picture is frozen (${frames.frames} identical frames): restart the camera.`,
          );
        return outcome(
          'pass',
          measured,
          `Camera cho hình ảnh trực tiếp (${frames.frames} khung hình, độ sáng ${round(frames.meanLuma)}/255).`,
          `The camera shows a live picture (${frames.frames} frames, luma ${round(frames.meanLuma)}/255).`,
        );
      } catch (error) {
        return outcome(
          'fail',
          none,
          `Không lấy được hình ảnh từ camera: ${describeError(error)}`,
          `No picture from the camera: ${describeError(error)}`,
        );
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
      if (!ptz) return outcome('unsupported', none, 'Phòng này không có đầu quay PTZ.', 'This room has no PTZ head.');
      if (ptz.status !== 'ok') return deviceDown(PTZ, ptz.snapshot());
      const started = performance.now();
      try {
        const position = await ptz.position();
        const ms = round(performance.now() - started);
        return outcome(
          'pass',
          { value: ms, unit: 'ms' },
          `Đầu quay PTZ trả lời sau ${ms} ms (vị trí ${position.pan}/${position.tilt}, zoom ${position.zoom}).`,
          `The PTZ head answered in ${ms} ms (position ${position.pan}/${position.tilt}, zoom ${position.zoom}).`,
        );
      } catch (error) {
        return outcome(
          'fail',
          none,
          `Đầu quay PTZ không trả lời: ${describeError(error)}`,
          `The PTZ head did not answer: ${describeError(error)}`,
        );
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
      if (!audio) return outcome('fail', none, 'Chưa cấu hình micro.', 'No microphone is configured.');
      if (audio.status !== 'ok') return deviceDown(MICROPHONE, audio.snapshot());
      if (!media.audioLevels)
        return outcome(
          'unsupported',
          none,
          media.unsupported?.audioLevels?.vi ?? 'Chưa đo được mức âm thanh của micro.',
          media.unsupported?.audioLevels?.en ?? 'The microphone level cannot be measured here.',
        );
      try {
        const levels = await media.audioLevels(signal);
        const measured = { value: round(levels.rmsDb), unit: 'dBFS rms' };
        if (audio.muted)
          return outcome(
            'warn',
            measured,
            'Micro đang tắt tiếng: bật lại trước buổi tiếp.',
            'The microphone is muted: unmute it before the session.',
          );
        if (levels.rmsDb < SILENCE_RMS_DB)
          return outcome(
            'fail',
            measured,
            'Micro không có tín hiệu (im lặng hoàn toàn): kiểm tra dây cắm và nguồn của micro.',
            'The microphone gives no signal (complete silence): check its cable and power.',
          );
        if (levels.peakDb >= CLIPPING_PEAK_DB)
          return outcome(
            'warn',
            measured,
            'Tiếng micro quá to, bị rè: giảm âm lượng micro (hoặc gọi kỹ thuật viên).',
            'The microphone is too loud and distorts: turn its gain down (or call the technician).',
          );
        return outcome(
          'pass',
          measured,
          'Micro thu tiếng tốt, không bị rè.',
          'The microphone picks up sound well, without distortion.',
        );
      } catch (error) {
        return outcome(
          'fail',
          none,
          `Không đo được tín hiệu micro: ${describeError(error)}`,
          `The microphone could not be measured: ${describeError(error)}`,
        );
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
        return outcome(
          'unsupported',
          none,
          reason?.vi ?? 'Chưa kiểm tra được loa → micro.',
          reason?.en ?? 'The speaker → microphone loopback cannot run here.',
        );
      }
      try {
        const heard = await media.loopbackTone(signal);
        const measured = { value: heard.levelDb === null ? null : round(heard.levelDb), unit: 'dBFS' };
        return heard.detected
          ? outcome(
              'pass',
              measured,
              'Âm thanh phát ra loa được micro thu lại rõ.',
              'The tone played on the speaker was heard by the microphone.',
            )
          : outcome(
              'fail',
              measured,
              'Micro không nghe thấy âm thử phát ra loa: kiểm tra loa, âm lượng và micro.',
              'The microphone did not hear the test tone: check the speaker, its volume and the microphone.',
            );
      } catch (error) {
        return outcome(
          'fail',
          none,
          `Không chạy được thử loa → micro: ${describeError(error)}`,
          `The loopback test failed to run: ${describeError(error)}`,
        );
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
      if (!display)
        return outcome(
          'warn',
          none,
          'Chưa cấu hình điều khiển màn hình: hãy kiểm tra màn hình bằng mắt.',
          'No display control is configured: check the screen by eye.',
        );
      if (display.status !== 'ok') return deviceDown(DISPLAY, display.snapshot());
      try {
        if ((await display.state()).on)
          return outcome('pass', { value: true }, 'Màn hình đang bật.', 'The display is on.');
        // Asleep outside reception hours is normal: the test is whether it wakes when told to.
        await display.setPower(true);
        return (await display.state()).on
          ? outcome(
              'pass',
              { value: true },
              'Màn hình đang ngủ và đã bật lại được theo lệnh.',
              'The display was asleep and woke on command.',
            )
          : outcome(
              'fail',
              { value: false },
              'Màn hình không bật theo lệnh: kiểm tra nguồn và cáp HDMI.',
              'The display did not switch on when told to: check its power and HDMI cable.',
            );
      } catch (error) {
        return outcome(
          'fail',
          none,
          `Màn hình không trả lời: ${describeError(error)}`,
          `The display did not answer: ${describeError(error)}`,
        );
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
      if (!ups)
        return outcome(
          'warn',
          none,
          'Chưa cấu hình bộ lưu điện (UPS): phòng tiếp phải có UPS.',
          'No UPS is configured: the room must have one.',
        );
      if (ups.status !== 'ok') return deviceDown(UPS, ups.snapshot());
      const reading = ups.reading;
      if (!reading) return outcome('fail', none, 'Chưa đọc được trạng thái UPS.', 'No reading from the UPS yet.');
      if (reading.flags.includes('OB') || !reading.flags.includes('OL'))
        return outcome(
          'fail',
          { value: reading.flags.join(' ') },
          'UPS đang chạy bằng pin (mất điện lưới): kiểm tra nguồn điện.',
          'The UPS is on battery (no mains power): check the power supply.',
        );
      const needed = Math.ceil(target.durationSeconds + marginSeconds);
      if (reading.batteryRuntime === null)
        return outcome(
          'warn',
          { value: null, unit: 's' },
          'UPS có điện lưới nhưng không báo thời gian lưu điện.',
          'The UPS is on mains but does not report its runtime.',
        );
      const measured = { value: reading.batteryRuntime, unit: 's' };
      const minutes = (s: number) => Math.floor(s / 60);
      if (reading.batteryRuntime < needed)
        return outcome(
          'fail',
          measured,
          `Pin UPS chỉ đủ ${minutes(reading.batteryRuntime)} phút, cần ${minutes(needed)} phút cho buổi tiếp: sạc hoặc thay pin.`,
          `The UPS battery lasts ${minutes(reading.batteryRuntime)} min; the session needs ${minutes(needed)} min: charge or replace it.`,
        );
      return outcome(
        'pass',
        measured,
        `UPS có điện lưới, pin đủ ${minutes(reading.batteryRuntime)} phút (cần ${minutes(needed)} phút).`,
        `The UPS is on mains with ${minutes(reading.batteryRuntime)} min of battery (${minutes(needed)} min needed).`,
      );
    },
  };
}
