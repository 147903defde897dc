/**
 * Words about sessions (buổi tiếp công dân), as the server sends them in views and reports:
 * Vietnamese for the room and the report, English beside it for the technician and the logs.
 * Keyed by the session's own words (kiosk/session/types.ts, state-machine.ts); the catalogue imports
 * no feature, so every feature can import it. The terms follow ./README.md.
 */
import { type Catalogue, fill, type Label } from './label.js';

export const sessionEventLabels = {
  scheduled: { vi: 'Đã lên lịch buổi tiếp', en: 'Session scheduled' },
  rescheduled: { vi: 'Lịch buổi tiếp đã thay đổi', en: 'Session rescheduled' },
  prepared: { vi: 'Bắt đầu chuẩn bị, kiểm thử thiết bị', en: 'Preparation started' },
  ready: { vi: 'Điểm cầu sẵn sàng', en: 'Room ready' },
  started: { vi: 'Bắt đầu buổi tiếp, bắt đầu ghi hình', en: 'Session started, recording started' },
  resumed: { vi: 'Tiếp tục ghi hình sau sự cố', en: 'Recording resumed after a failure' },
  gap: { vi: 'Gián đoạn ghi hình', en: 'Recording gap' },
  ended: { vi: 'Kết thúc buổi tiếp', en: 'Session ended' },
  closed: { vi: 'Đã đóng bản ghi', en: 'Recording closed' },
  failed: { vi: 'Buổi tiếp gặp sự cố', en: 'Session failed' },
  aborted: { vi: 'Huỷ buổi tiếp', en: 'Session cancelled' },
  retried: { vi: 'Chuẩn bị lại sau sự cố', en: 'Preparing again after a failure' },
  'case-changed': { vi: 'Chuyển vụ việc', en: 'Case changed' },
  'preset-recalled': { vi: 'Chuyển góc máy quay', en: 'Camera preset recalled' },
  muted: { vi: 'Tắt tiếng micrô', en: 'Microphone muted' },
  unmuted: { vi: 'Bật tiếng micrô', en: 'Microphone unmuted' },
  'connection-lost': { vi: 'Mất kết nối với điểm cầu chủ trì', en: 'Connection to the chairing site lost' },
  'connection-restored': { vi: 'Kết nối lại với điểm cầu chủ trì', en: 'Connection to the chairing site restored' },
  'technician-called': { vi: 'Gọi cán bộ kỹ thuật', en: 'Technician called' },
  'recording-stopped': { vi: 'Ghi hình bị dừng ngoài ý muốn', en: 'Recording stopped by itself' },
  'recording-resumed': { vi: 'Ghi hình tiếp tục', en: 'Recording resumed' },
  'source-lost': { vi: 'Mất tín hiệu nguồn hình/tiếng', en: 'Source signal lost' },
  'source-restored': { vi: 'Có lại tín hiệu nguồn hình/tiếng', en: 'Source signal restored' },
} as const satisfies Catalogue;

export const sessionStateLabels = {
  scheduled: { vi: 'Đã lên lịch', en: 'Scheduled' },
  preparing: { vi: 'Đang chuẩn bị', en: 'Preparing' },
  ready: { vi: 'Sẵn sàng', en: 'Ready' },
  live: { vi: 'Đang diễn ra', en: 'Live' },
  ending: { vi: 'Đang kết thúc', en: 'Ending' },
  closed: { vi: 'Đã kết thúc', en: 'Closed' },
  failed: { vi: 'Gặp sự cố', en: 'Failed' },
  aborted: { vi: 'Đã huỷ', en: 'Cancelled' },
} as const satisfies Catalogue;

export const caseTypeLabels = {
  KN: { vi: 'Khiếu nại', en: 'Complaint' },
  TC: { vi: 'Tố cáo', en: 'Denunciation' },
  KNPA: { vi: 'Kiến nghị, phản ánh', en: 'Petition' },
} as const satisfies Catalogue;

export const citizenRoleLabels = {
  complainant: { vi: 'Người khiếu nại', en: 'Complainant' },
  denouncer: { vi: 'Người tố cáo', en: 'Denouncer' },
  petitioner: { vi: 'Người kiến nghị, phản ánh', en: 'Petitioner' },
  representative: { vi: 'Người đại diện', en: 'Representative' },
} as const satisfies Catalogue;

/**
 * What a public screen shows instead of a confidential person's name: "Người tố cáo #3".
 * The number is the person's position in the session's list, not a database id, so it tells nothing.
 */
export function maskedName(role: keyof typeof citizenRoleLabels, ordinal: number): Label {
  const label = citizenRoleLabels[role];
  return { vi: `${label.vi} #${ordinal}`, en: `${label.en} #${ordinal}` };
}

/** Formats a gap's length for the report: "2 phút 5 giây" / "2 min 5 s". */
export function durationLabel(seconds: number): Label {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes === 0) return { vi: `${rest} giây`, en: `${rest} s` };
  return { vi: `${minutes} phút ${rest} giây`, en: `${minutes} min ${rest} s` };
}

/** "14:00 01/12/2026" in the room's time zone, 24 h, as a Vietnamese office writes it. */
export function clockLabel(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour12: false,
    timeZone,
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('hour')}:${part('minute')} ${part('day')}/${part('month')}/${part('year')}`;
}

/** The report's line under a gap: when nothing was recorded, and for how long. */
export function gapDetail(from: string, to: string, seconds: number): Label {
  const length = durationLabel(seconds);
  return {
    vi: fill('Không ghi được hình từ {from} đến {to} ({length})', { from, to, length: length.vi }),
    en: fill('Nothing recorded from {from} to {to} ({length})', { from, to, length: length.en }),
  };
}

/** Why Start is refused outside the start window (kiosk/session/start-window.ts). */
export function startWindowRefusal(
  code: 'too_early' | 'too_late',
  times: { startsAt: string; opensAt: string; closesAt: string },
  timeZone: string,
): Label {
  const startsAt = clockLabel(times.startsAt, timeZone);
  if (code === 'too_early') {
    const opensAt = clockLabel(times.opensAt, timeZone);
    return {
      vi: `Buổi tiếp bắt đầu lúc ${startsAt} — chỉ có thể bắt đầu từ ${opensAt}.`,
      en: `The session starts at ${startsAt} — it can be started from ${opensAt}.`,
    };
  }
  const closesAt = clockLabel(times.closesAt, timeZone);
  return {
    vi: `Buổi tiếp lúc ${startsAt} đã quá giờ bắt đầu (hạn chót ${closesAt}): đề nghị xếp lại lịch.`,
    en: `The session at ${startsAt} is past its start window (until ${closesAt}): reschedule it.`,
  };
}
