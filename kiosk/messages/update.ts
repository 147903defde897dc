import type { Catalogue } from './label.js';

/**
 * Words about software updates shown to people (the console, central's dashboard): Vietnamese
 * first, English beside it. Keyed by kiosk/update/status.ts's states and problems; the API sends
 * the key and both labels.
 */

export const updateStateLabels = {
  downloading: { vi: 'Đang tải bản cập nhật', en: 'Downloading the release' },
  verifying: { vi: 'Đang kiểm tra chữ ký', en: 'Checking the signature' },
  requested: { vi: 'Đã chuyển cho trình cập nhật', en: 'Handed to the updater' },
  unpacking: { vi: 'Đang giải nén bản mới', en: 'Unpacking the new release' },
  stopping: { vi: 'Đang dừng phần mềm', en: 'Stopping the daemon' },
  'backing-up': { vi: 'Đang sao lưu cơ sở dữ liệu', en: 'Backing up the database' },
  switching: { vi: 'Đang chuyển sang bản mới', en: 'Switching to the new release' },
  starting: { vi: 'Đang khởi động bản mới', en: 'Starting the new release' },
  'checking-health': { vi: 'Đang kiểm tra hoạt động của bản mới', en: 'Checking the new release is healthy' },
  'rolling-back': { vi: 'Bản mới lỗi: đang quay về bản cũ', en: 'New release unhealthy: rolling back' },
  succeeded: { vi: 'Cập nhật thành công', en: 'Update succeeded' },
  'rolled-back': {
    vi: 'Đã quay về bản cũ và dữ liệu trước cập nhật',
    en: 'Rolled back to the previous release and its database',
  },
  refused: { vi: 'Từ chối cập nhật', en: 'Update refused' },
  failed: { vi: 'Cập nhật thất bại: cần cán bộ kỹ thuật', en: 'Update failed: a technician is needed' },
} as const satisfies Catalogue;

export const updateProblemLabels = {
  unsigned: { vi: 'Bản cập nhật không có chữ ký', en: 'The release is not signed' },
  'bad-signature': {
    vi: 'Chữ ký không hợp lệ hoặc không phải của đơn vị phát hành tin cậy',
    en: 'The signature is invalid or not from a trusted key',
  },
  'no-trusted-keys': {
    vi: 'Thiết bị chưa có khoá phát hành tin cậy (/etc/diemcau/release-keys)',
    en: 'The device trusts no release key (/etc/diemcau/release-keys)',
  },
  'wrong-platform': {
    vi: 'Bản cập nhật dành cho loại máy khác',
    en: 'The release is built for another kind of machine',
  },
  'live-session': {
    vi: 'Đang có buổi tiếp công dân: không cập nhật trong buổi tiếp',
    en: 'A reception session is live: no update during a session',
  },
  'session-soon': {
    vi: 'Sắp đến giờ buổi tiếp công dân: không cập nhật trước buổi tiếp',
    en: 'A reception session starts soon: no update before it',
  },
  busy: { vi: 'Một lần cập nhật khác đang chạy', en: 'Another update is in progress' },
  'same-version': { vi: 'Thiết bị đang chạy đúng bản này', en: 'This release is already running' },
  'download-failed': { vi: 'Không tải được bản cập nhật', en: 'The release could not be downloaded' },
  'bad-artifact': { vi: 'Tệp cập nhật không đúng định dạng', en: 'The release file is not a release' },
  unhealthy: {
    vi: 'Bản mới không hoạt động bình thường sau khi khởi động',
    en: 'The new release was not healthy after its start',
  },
  internal: { vi: 'Lỗi trong quá trình cập nhật', en: 'The update stopped on an error' },
} as const satisfies Catalogue;
