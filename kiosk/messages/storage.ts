/**
 * Words about room for recordings, as the officer and the technician read them when a session's
 * start is allowed or refused (kiosk/media/storage-policy.ts). The terms follow ./README.md.
 */
import type { Catalogue } from './label.js';

export const storageMessages = {
  admitted: {
    vi: 'Đủ dung lượng lưu trữ (cần {needed} GB, còn trống {free} GB).',
    en: 'Enough storage (needs {needed} GB, {free} GB free).',
  },
  refused: {
    vi: 'Không đủ dung lượng để ghi hình buổi tiếp: cần {needed} GB, chỉ còn trống {free} GB. Hãy sao lưu (xuất) và xoá bản ghi cũ trước khi bắt đầu.',
    en: 'Not enough storage to record this session: it needs {needed} GB, only {free} GB is free. Export and remove old recordings before starting.',
  },
} as const satisfies Catalogue;
