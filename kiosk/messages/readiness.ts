/**
 * Words of the readiness test (kiểm thử thiết bị): each check's explanation, as the touchscreen,
 * the console and the fleet show it. The Vietnamese tells the officer what to do; the English keeps
 * the technical detail (a driver's status, an error) for the technician. The terms follow ./README.md.
 * {placeholders} are filled by fillLabel (./label.ts).
 */
import { type Catalogue, fillLabel, type Label, type LabelValue } from './label.js';

/** The devices a check names in its sentences. */
export const readinessDeviceNames = {
  camera: { vi: 'Camera', en: 'The camera' },
  ptz: { vi: 'Đầu quay PTZ', en: 'The PTZ head' },
  microphone: { vi: 'Micrô', en: 'The microphone' },
  display: { vi: 'Màn hình', en: 'The display' },
  ups: { vi: 'Bộ lưu điện (UPS)', en: 'The UPS' },
} as const satisfies Catalogue;

export const readinessMessages = {
  // ── any check ──
  deviceDown: {
    vi: '{device} không hoạt động. Kiểm tra dây cáp và nguồn điện; nếu vẫn lỗi, hãy gọi cán bộ kỹ thuật.',
    en: '{device} is not working: {status}{detail}. Check its cable, power and configuration.',
  },
  timedOut: {
    vi: 'Kiểm tra không xong sau {seconds} giây: thiết bị không trả lời.',
    en: 'The check did not finish within {seconds} s: the device does not answer.',
  },
  crashed: { vi: 'Lỗi khi kiểm tra: {error}', en: 'The check failed to run: {error}' },
  twoHoursFailed: {
    vi: 'Kiểm thử 2 giờ trước buổi tiếp không đạt ({failed}): cán bộ kỹ thuật cần xử lý ngay.',
    en: 'The readiness test 2 hours before the session failed ({failed}): the technician must act now.',
  },
  // ── camera ──
  cameraMissing: {
    vi: 'Chưa cấu hình camera: phòng tiếp phải có camera ghi toàn bộ buổi tiếp.',
    en: 'No camera is configured: the room must have a camera recording the whole session.',
  },
  cameraNotAnalysed: {
    vi: 'Camera đã kết nối nhưng chưa phân tích được hình ảnh. {reason}',
    en: 'The camera is connected but its picture could not be analysed. {reason}',
  },
  cameraBlack: {
    vi: 'Hình ảnh camera toàn màu đen (độ sáng {luma}/255): kiểm tra nắp ống kính, đèn phòng và cáp tín hiệu.',
    en: 'The camera picture is black (luma {luma}/255): check the lens cap, the room lights and the video cable.',
  },
  cameraFrozen: {
    vi: 'Hình ảnh camera bị đứng ({frames} khung hình giống nhau): khởi động lại camera.',
    en: 'The camera picture is frozen ({frames} identical frames): restart the camera.',
  },
  cameraLive: {
    vi: 'Camera cho hình ảnh trực tiếp ({frames} khung hình, độ sáng {luma}/255).',
    en: 'The camera shows a live picture ({frames} frames, luma {luma}/255).',
  },
  cameraNoPicture: {
    vi: 'Không lấy được hình ảnh từ camera: {error}',
    en: 'No picture from the camera: {error}',
  },
  // ── PTZ head ──
  ptzMissing: { vi: 'Phòng này không có đầu quay PTZ.', en: 'This room has no PTZ head.' },
  ptzAnswered: {
    vi: 'Đầu quay PTZ trả lời sau {ms} ms (vị trí {pan}/{tilt}, zoom {zoom}).',
    en: 'The PTZ head answered in {ms} ms (position {pan}/{tilt}, zoom {zoom}).',
  },
  ptzSilent: { vi: 'Đầu quay PTZ không trả lời: {error}', en: 'The PTZ head did not answer: {error}' },
  // ── microphone ──
  microphoneMissing: { vi: 'Chưa cấu hình micrô.', en: 'No microphone is configured.' },
  microphoneNotMeasurable: {
    vi: 'Chưa đo được mức âm thanh của micrô.',
    en: 'The microphone level cannot be measured here.',
  },
  microphoneMuted: {
    vi: 'Micrô đang tắt tiếng: bật lại trước buổi tiếp.',
    en: 'The microphone is muted: unmute it before the session.',
  },
  microphoneSilent: {
    vi: 'Micrô không có tín hiệu (im lặng hoàn toàn): kiểm tra dây cắm và nguồn của micrô.',
    en: 'The microphone gives no signal (complete silence): check its cable and power.',
  },
  microphoneClipping: {
    vi: 'Tiếng micrô quá to, bị rè: giảm âm lượng micrô (hoặc gọi cán bộ kỹ thuật).',
    en: 'The microphone is too loud and distorts: turn its gain down (or call the technician).',
  },
  microphoneGood: {
    vi: 'Micrô thu tiếng tốt, không bị rè.',
    en: 'The microphone picks up sound well, without distortion.',
  },
  microphoneUnmeasured: {
    vi: 'Không đo được tín hiệu micrô: {error}',
    en: 'The microphone could not be measured: {error}',
  },
  // ── speaker → microphone ──
  loopbackNotHere: {
    vi: 'Chưa kiểm tra được loa → micrô.',
    en: 'The speaker → microphone loopback cannot run here.',
  },
  loopbackNoSpeaker: {
    vi: 'Chưa thử được loa → micrô: phòng chưa khai báo loa, hoặc máy đang chạy chế độ mô phỏng. Không ảnh hưởng buổi tiếp; cán bộ kỹ thuật sẽ cấu hình loa.',
    en: 'Speaker → microphone loopback cannot run: no speaker output is configured (hal.audio.speaker), or this is simulation, where speaker and microphone are not coupled through the air.',
  },
  loopbackHeard: {
    vi: 'Âm thanh phát ra loa được micrô thu lại rõ.',
    en: 'The tone played on the speaker was heard by the microphone.',
  },
  loopbackNotHeard: {
    vi: 'Micrô không nghe thấy âm thử phát ra loa: kiểm tra loa, âm lượng và micrô.',
    en: 'The microphone did not hear the test tone: check the speaker, its volume and the microphone.',
  },
  loopbackCrashed: {
    vi: 'Không chạy được thử loa → micrô: {error}',
    en: 'The loopback test failed to run: {error}',
  },
  // ── display ──
  displayMissing: {
    vi: 'Chưa cấu hình điều khiển màn hình: hãy kiểm tra màn hình bằng mắt.',
    en: 'No display control is configured: check the screen by eye.',
  },
  displayOn: { vi: 'Màn hình đang bật.', en: 'The display is on.' },
  displayWoke: {
    vi: 'Màn hình đang ngủ và đã bật lại được theo lệnh.',
    en: 'The display was asleep and woke on command.',
  },
  displayStaysOff: {
    vi: 'Màn hình không bật theo lệnh: kiểm tra nguồn và cáp HDMI.',
    en: 'The display did not switch on when told to: check its power and HDMI cable.',
  },
  displaySilent: { vi: 'Màn hình không trả lời: {error}', en: 'The display did not answer: {error}' },
  // ── UPS ──
  upsMissing: {
    vi: 'Chưa cấu hình bộ lưu điện (UPS): phòng tiếp phải có UPS.',
    en: 'No UPS is configured: the room must have one.',
  },
  upsNoReading: { vi: 'Chưa đọc được trạng thái UPS.', en: 'No reading from the UPS yet.' },
  upsOnBattery: {
    vi: 'UPS đang chạy bằng pin (mất điện lưới): kiểm tra nguồn điện.',
    en: 'The UPS is on battery (no mains power): check the power supply.',
  },
  upsNoRuntime: {
    vi: 'UPS có điện lưới nhưng không báo thời gian lưu điện.',
    en: 'The UPS is on mains but does not report its runtime.',
  },
  upsShortRuntime: {
    vi: 'Pin UPS chỉ đủ {runtime} phút, cần {needed} phút cho buổi tiếp: sạc hoặc thay pin.',
    en: 'The UPS battery lasts {runtime} min; the session needs {needed} min: charge or replace it.',
  },
  upsGood: {
    vi: 'UPS có điện lưới, pin đủ {runtime} phút (cần {needed} phút).',
    en: 'The UPS is on mains with {runtime} min of battery ({needed} min needed).',
  },
  // ── storage ──
  diskUnreadable: {
    vi: 'Không đọc được dung lượng đĩa: {error}',
    en: 'Cannot read the free disk space: {error}',
  },
  diskFits: {
    vi: 'Đĩa còn trống {free} GB, đủ cho bản ghi dự kiến {recording} GB và phần dự trữ (cần {needed} GB).',
    en: '{free} GB free, enough for the expected {recording} GB recording and the reserve ({needed} GB needed).',
  },
  diskTight: {
    vi: 'Đĩa còn {free} GB: đủ ghi buổi tiếp (cần {needed} GB) nhưng sau đó đĩa sẽ gần đầy; hãy sao lưu và giải phóng bản ghi cũ.',
    en: '{free} GB free: enough for the session ({needed} GB needed), but the disk will be nearly full after it; export and free old recordings.',
  },
  diskFull: {
    vi: 'Đĩa chỉ còn {free} GB, không đủ ghi buổi tiếp (cần {needed} GB): sao lưu rồi xoá bản ghi cũ.',
    en: 'Only {free} GB free, not enough for the session ({needed} GB needed): export then delete old recordings.',
  },
  // ── link to the chairing site ──
  networkNoEndpoint: {
    vi: 'Lịch chưa có địa chỉ điểm cầu chủ trì: chưa đo được đường truyền.',
    en: 'The schedule has no chairing-site endpoint: the link was not measured.',
  },
  networkUnreachable: {
    vi: 'Không kết nối được điểm cầu chủ trì {host}:{port}: kiểm tra mạng.',
    en: 'Cannot reach the chairing site {host}:{port}: check the network.',
  },
  networkUnsteady: {
    vi: 'Đường truyền tới điểm cầu chủ trì chưa ổn định (độ trễ {median} ms, dao động {jitter} ms, mất {loss}%).',
    en: 'The link to the chairing site is unsteady (latency {median} ms, jitter {jitter} ms, loss {loss}%).',
  },
  networkGood: {
    vi: 'Kết nối tốt tới điểm cầu chủ trì (độ trễ {median} ms, dao động {jitter} ms, mất {loss}%).',
    en: 'Good link to the chairing site (latency {median} ms, jitter {jitter} ms, loss {loss}%).',
  },
  // ── clock ──
  clockSynchronised: {
    vi: 'Đồng hồ đã được chỉnh giờ tự động: thời điểm ghi hình chính xác.',
    en: 'The clock is set automatically: recording timestamps are exact.',
  },
  clockNotSynchronised: {
    vi: 'Đồng hồ chưa được chỉnh giờ tự động: giờ ghi trên bản ghi có thể sai. Hãy gọi cán bộ kỹ thuật kiểm tra mạng.',
    en: 'The clock is not NTP-synchronised: recording timestamps may be wrong. Check the network and the time service.',
  },
  clockUnknown: {
    vi: 'Không xác định được đồng hồ đã chỉnh giờ tự động hay chưa: hãy so giờ trên màn hình với đồng hồ thật.',
    en: 'Cannot tell whether the clock is set automatically: compare the time on screen with a real clock.',
  },
  // ── test recording ──
  testRecordingDevicesDown: {
    vi: 'Không ghi thử được: camera hoặc micrô không hoạt động. Kiểm tra dây cắm và nguồn, rồi thử lại.',
    en: 'No test recording: {devices} not working.',
  },
  testRecordingBroken: {
    vi: 'Bản ghi thử {seconds} giây bị thiếu hình hoặc hỏng, không xem lại đầy đủ được: hãy gọi cán bộ kỹ thuật.',
    en: 'The {seconds}-second test recording does not decode: {problem}.',
  },
  testRecordingUnclean: {
    vi: 'Bản ghi thử giải mã được nhưng bộ ghi không kết thúc tệp đúng hạn.',
    en: 'The test recording decodes, but the recorder did not finalize its file in time.',
  },
  testRecordingGood: {
    vi: 'Ghi thử {seconds} giây bằng chính bộ ghi của buổi tiếp thành công: {videoFrames} khung hình, {audioFrames} khung âm thanh giải mã được.',
    en: "The {seconds}-second test recording, made by the session's own recorder, decodes: {videoFrames} video and {audioFrames} audio frames.",
  },
  testRecordingFailed: {
    vi: 'Không ghi thử được: hãy gọi cán bộ kỹ thuật.',
    en: 'The test recording failed: {error}',
  },
} as const satisfies Catalogue;

export type ReadinessMessageKey = keyof typeof readinessMessages;

/** A check's sentence with its figures filled in, each language with its own side of a value. */
export function readinessText(key: ReadinessMessageKey, values?: Record<string, LabelValue>): Label {
  return fillLabel(readinessMessages[key], values);
}
