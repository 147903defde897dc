/**
 * The touchscreen's words: Vietnamese first (the default), English beside it.
 * One catalogue: a screen never spells a sentence of its own.
 */
export type Language = 'vi' | 'en';

export const messages = {
  appTitle: { vi: 'Điểm cầu tiếp công dân trực tuyến', en: 'Online citizen reception point' },
  language: { vi: 'English', en: 'Tiếng Việt' },
  devices: { vi: 'Thiết bị', en: 'Devices' },
  camera: { vi: 'Camera', en: 'Camera' },
  ptz: { vi: 'Điều khiển camera', en: 'Camera control' },
  audio: { vi: 'Micrô', en: 'Microphone' },
  display: { vi: 'Màn hình', en: 'Display' },
  ups: { vi: 'Bộ lưu điện', en: 'UPS' },
  gpio: { vi: 'Nút bấm, đèn', en: 'Buttons, lamps' },
  statusOk: { vi: 'Sẵn sàng', en: 'Ready' },
  statusConnecting: { vi: 'Đang kết nối lại', en: 'Reconnecting' },
  statusFailed: { vi: 'Lỗi', en: 'Fault' },
  statusBadConfig: { vi: 'Cấu hình sai', en: 'Misconfigured' },
  offline: { vi: 'Mất kết nối với thiết bị điều khiển — đang thử lại…', en: 'Lost contact with the room controller — retrying…' },
  session: { vi: 'Phiên tiếp công dân', en: 'Reception session' },
  noSession: { vi: 'Hiện không có phiên tiếp công dân nào được lên lịch.', en: 'No reception session is scheduled now.' },
  startSession: { vi: 'Bắt đầu phiên', en: 'Start session' },
  endSession: { vi: 'Kết thúc phiên', en: 'End session' },
  confirmEnd: { vi: 'Kết thúc phiên và hoàn tất bản ghi?', en: 'End the session and finalise the recording?' },
  yes: { vi: 'Đồng ý', en: 'Yes' },
  no: { vi: 'Huỷ', en: 'Cancel' },
  mute: { vi: 'Tắt micrô', en: 'Mute' },
  unmute: { vi: 'Bật micrô', en: 'Unmute' },
  callTechnician: { vi: 'Gọi cán bộ kỹ thuật', en: 'Call the technician' },
  technicianCalled: { vi: 'Đã gọi cán bộ kỹ thuật', en: 'Technician called' },
  presets: { vi: 'Vị trí camera', en: 'Camera positions' },
  noPresets: { vi: 'Chưa có vị trí camera nào được lưu.', en: 'No camera positions are stored yet.' },
  recording: { vi: 'ĐANG GHI', en: 'RECORDING' },
  notRecording: { vi: 'KHÔNG GHI HÌNH', en: 'NOT RECORDING' },
  recorderStopped_diskfull: { vi: 'Ghi hình đã dừng: ổ đĩa đầy. Hãy gọi cán bộ kỹ thuật giải phóng dung lượng, rồi bấm “Ghi tiếp”; hoặc kết thúc phiên.', en: 'Recording stopped: the disk is full. Ask the technician to free space, then press “Resume recording”; or end the session.' },
  recorderStopped_failure: { vi: 'Ghi hình đã dừng do sự cố thiết bị. Hãy gọi cán bộ kỹ thuật, rồi bấm “Ghi tiếp”; hoặc kết thúc phiên.', en: 'Recording stopped after an equipment failure. Call the technician, then press “Resume recording”; or end the session.' },
  resumeRecording: { vi: 'Ghi tiếp', en: 'Resume recording' },
  actionFailed: { vi: 'Không thực hiện được', en: 'Could not do that' },
  readiness: { vi: 'Kiểm tra thiết bị', en: 'Equipment test' },
  runReadiness: { vi: 'Kiểm tra ngay', en: 'Test now' },
  readinessRunning: { vi: 'Đang kiểm tra (khoảng 10 giây)…', en: 'Testing (about 10 seconds)…' },
  readinessNever: { vi: 'Chưa kiểm tra lần nào từ khi mở màn hình này.', en: 'Not tested since this screen opened.' },
  result_pass: { vi: 'Đạt', en: 'Pass' },
  result_warn: { vi: 'Cần lưu ý', en: 'Warning' },
  result_fail: { vi: 'Không đạt', en: 'Fail' },
  result_unsupported: { vi: 'Không áp dụng', en: 'Not applicable' },
  check_camera: { vi: 'Hình ảnh camera', en: 'Camera picture' },
  check_ptz: { vi: 'Điều khiển camera', en: 'Camera control' },
  check_microphone: { vi: 'Micrô', en: 'Microphone' },
  check_loopback: { vi: 'Loa → micrô', en: 'Speaker → microphone' },
  check_display: { vi: 'Màn hình', en: 'Display' },
  check_ups: { vi: 'Bộ lưu điện', en: 'UPS' },
  check_disk: { vi: 'Dung lượng lưu trữ', en: 'Storage space' },
  check_network: { vi: 'Kết nối điểm cầu trung tâm', en: 'Link to the chairing site' },
  check_clock: { vi: 'Đồng hồ hệ thống', en: 'System clock' },
  'check_test-recording': { vi: 'Ghi thử 5 giây', en: '5-second test recording' },
  consoleTitle: { vi: 'Bảng điều khiển kỹ thuật', en: 'Technician console' },
  username: { vi: 'Tên đăng nhập', en: 'User name' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  login: { vi: 'Đăng nhập', en: 'Log in' },
  logout: { vi: 'Đăng xuất', en: 'Log out' },
  loginFailed: { vi: 'Đăng nhập không thành công', en: 'Login failed' },
  tabHealth: { vi: 'Tình trạng', en: 'Status' },
  tabReadiness: { vi: 'Kiểm thử', en: 'Readiness tests' },
  tabSchedule: { vi: 'Lịch tiếp', en: 'Schedule' },
  tabRecordings: { vi: 'Bản ghi', en: 'Recordings' },
  tabAudit: { vi: 'Nhật ký', en: 'Audit log' },
  services: { vi: 'Dịch vụ', en: 'Services' },
  noRuns: { vi: 'Chưa có lần kiểm thử nào.', en: 'No readiness test yet.' },
  noSessions: { vi: 'Chưa có buổi tiếp nào trong lịch.', en: 'No session in the schedule.' },
  noRecordings: { vi: 'Chưa có bản ghi nào.', en: 'No recording yet.' },
  verify: { vi: 'Kiểm tra toàn vẹn', en: 'Verify' },
  export: { vi: 'Sao ra ổ ngoài', en: 'Export' },
  exportTo: { vi: 'Thư mục đích (ổ USB đã gắn)', en: 'Target folder (mounted USB disk)' },
  intact: { vi: 'Nguyên vẹn', en: 'Intact' },
  tampered: { vi: 'Bị thay đổi', en: 'Altered' },
  addSession: { vi: 'Thêm buổi tiếp', en: 'Add a session' },
  title: { vi: 'Tiêu đề', en: 'Title' },
  chairSite: { vi: 'Điểm cầu chủ trì', en: 'Chairing site' },
  startsAt: { vi: 'Bắt đầu', en: 'Starts' },
  endsAt: { vi: 'Kết thúc', en: 'Ends' },
  periodic: { vi: 'Định kỳ', en: 'Periodic' },
  adHoc: { vi: 'Đột xuất', en: 'Ad hoc' },
  save: { vi: 'Lưu', en: 'Save' },
  saved: { vi: 'Đã lưu', en: 'Saved' },
  state_scheduled: { vi: 'Đã lên lịch', en: 'Scheduled' },
  state_preparing: { vi: 'Đang chuẩn bị', en: 'Preparing' },
  state_ready: { vi: 'Sẵn sàng', en: 'Ready' },
  state_live: { vi: 'Đang diễn ra', en: 'Live' },
  state_ending: { vi: 'Đang kết thúc', en: 'Ending' },
  state_closed: { vi: 'Đã kết thúc', en: 'Closed' },
  state_failed: { vi: 'Gặp sự cố', en: 'Failed' },
  state_aborted: { vi: 'Đã huỷ', en: 'Aborted' },
} as const satisfies Record<string, Record<Language, string>>;

export type MessageKey = keyof typeof messages;

export function t(key: MessageKey, language: Language): string {
  return messages[key][language];
}

/** Date and time as a Vietnamese office writes them: 14:05:09 · Thứ Hai, 23/11/2026. */
export function formatClock(date: Date, language: Language, timeZone = 'Asia/Ho_Chi_Minh'): string {
  const locale = language === 'vi' ? 'vi-VN' : 'en-GB';
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone }).format(date);
  const day = new Intl.DateTimeFormat(locale, { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric', timeZone }).format(date);
  return `${time} · ${day}`;
}
