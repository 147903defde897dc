import { describe, expect, it } from 'vitest';
import { ApiError } from '../../kiosk/ui/console/api.js';
import { visibleTabs } from '../../kiosk/ui/console/capabilities.js';
import { errorText } from '../../kiosk/ui/console/errors.js';
import { auditAction, bytes, clockDuration, longDuration, preciseDateTime } from '../../kiosk/ui/console/labels.js';
import { roomFields, roomInstant } from '../../kiosk/ui/console/room-time.js';
import { filterAudit } from '../../kiosk/ui/console/audit-filter.js';
import { configLeaves, parseLeaf } from '../../kiosk/ui/console/config-leaves.js';
import { can, capabilities, type roles } from '../../kiosk/auth/roles.js';

/** The console's pure pieces: dates typed in dd/mm/yyyy, errors in words, tabs by role, the audit filter. */
describe('console logic (kiosk/ui/console)', () => {
  it.each([
    ['02/01/2030', '08:00', '2030-01-02T08:00:00+07:00'],
    ['2/1/2030', '8:05', '2030-01-02T08:05:00+07:00'],
    ['29/02/2028', '23:59', '2028-02-29T23:59:00+07:00'],
    ['29/02/2030', '08:00', undefined],
    ['31/04/2030', '08:00', undefined],
    ['01/13/2030', '08:00', undefined],
    ['2030-01-02', '08:00', undefined],
    ['02/01/2030', '24:00', undefined],
    ['02/01/2030', '8 AM', undefined],
  ])('reads %s %s in the room’s time zone', (date, time, expected) => {
    expect(roomInstant(date, time)).toBe(expected);
  });

  it('writes an instant back as the officer typed it', () => {
    expect(roomFields('2030-01-02T01:00:00Z')).toEqual({ date: '02/01/2030', time: '08:00' });
    expect(preciseDateTime('2030-01-01T17:00:09Z')).toBe('00:00:09 02/01/2030');
  });

  it.each([
    [new ApiError(403, 'forbidden'), 'Vai trò của bạn không được làm việc này.'],
    [new ApiError(0, 'network'), 'Không liên lạc được với máy điều khiển. Kiểm tra mạng rồi thử lại.'],
    [new ApiError(409, 'conflict', { code: 'start_too_early' }), 'Chưa tới giờ được bắt đầu buổi tiếp.'],
    [
      new ApiError(400, 'export_refused_bad_target'),
      'Ổ đích không được chấp nhận: chỉ sao ra ổ USB tháo rời, không sao vào ổ hệ thống.',
    ],
    [new ApiError(400, 'invalid_body', [{ path: 'title', message: 'Too small' }]), 'Dữ liệu nhập chưa đúng: title.'],
    [
      new ApiError(400, 'invalid_config', [
        { path: 'media.audioBitrateKbps', code: 'too_small', minimum: 32 },
        { path: 'log.level', code: 'invalid_value', values: ['info', 'warn'] },
      ]),
      'Cấu hình không hợp lệ, chưa lưu: media.audioBitrateKbps: giá trị quá nhỏ (tối thiểu 32) log.level: giá trị không được phép (chọn một trong: info, warn)',
    ],
    [new ApiError(418, 'a_code_nobody_knows'), 'Không thực hiện được. Thử lại; nếu vẫn lỗi, xem nhật ký hệ thống.'],
    [
      new ApiError(409, 'session-soon', { label: { vi: 'Sắp đến giờ tiếp: không cập nhật', en: 'A session soon' } }),
      'Sắp đến giờ tiếp: không cập nhật',
    ],
    [
      new ApiError(503, 'a_code_nobody_knows'),
      'Máy điều khiển gặp lỗi khi xử lý. Thử lại; nếu vẫn lỗi, xem nhật ký hệ thống.',
    ],
    [new Error('Failed to fetch'), 'Không thực hiện được. Thử lại; nếu vẫn lỗi, xem nhật ký hệ thống.'],
  ])('words %o in Vietnamese, never the English message', (error, expected) => {
    expect(errorText(error, 'vi')).toBe(expected);
  });

  it('shows each role the tabs its capabilities open', () => {
    const tabsOf = (role: (typeof roles)[number]) => visibleTabs(capabilities.filter((c) => can(role, c)));
    expect(tabsOf('viewer')).toEqual(['dashboard', 'readiness', 'schedule']);
    expect(tabsOf('technician')).toEqual([
      'dashboard',
      'readiness',
      'schedule',
      'recordings',
      'audit',
      'devices',
      'config',
      'logs',
    ]);
    expect(tabsOf('admin')).toEqual([
      'dashboard',
      'readiness',
      'schedule',
      'recordings',
      'audit',
      'users',
      'devices',
      'config',
      'logs',
    ]);
    expect(tabsOf('officer')).toEqual(['dashboard', 'readiness', 'schedule', 'recordings']);
  });

  it('filters the audit log by actor, action and days in the room’s time zone', () => {
    const entry = (seq: number, at: string, actor: string, action: string) => ({
      seq,
      at,
      actor,
      role: 'technician',
      action,
      target: 't',
      detail: null,
    });
    const entries = [
      entry(1, '2026-12-01T16:59:00Z', 'kythuat', 'play'),
      entry(2, '2026-12-01T17:00:00Z', 'kythuat', 'verify'),
      entry(3, '2026-12-02T16:59:59Z', 'lanhdao', 'play'),
    ];
    const seqs = (filter: Partial<Parameters<typeof filterAudit>[1]>) =>
      filterAudit(entries, { actor: '', action: '', from: '', to: '', ...filter }).map((e) => e.seq);
    expect(seqs({ action: 'play' })).toEqual([1, 3]);
    expect(seqs({ actor: 'LANH' })).toEqual([3]);
    // 17:00 UTC is midnight in Hà Nội: the second entry is on 02/12, the first still on 01/12.
    expect(seqs({ from: '02/12/2026', to: '02/12/2026' })).toEqual([2, 3]);
    expect(seqs({ to: '01/12/2026' })).toEqual([1]);
  });

  it('formats sizes, durations and actions', () => {
    expect(bytes(2_100_000, 'vi')).toBe('2,1 MB');
    expect(bytes(999, 'en')).toBe('999 B');
    expect(clockDuration(7.4)).toBe('0:07');
    expect(clockDuration(3723)).toBe('1:02:03');
    expect(longDuration(69, 'vi')).toBe('1 phút 9 giây');
    expect(longDuration(7200, 'vi')).toBe('2 giờ 0 phút');
    expect(longDuration(90_061, 'en')).toBe('1 d 1 h 1 min');
    expect(auditAction('identity-view', 'vi')).toBe('Xem danh tính công dân');
    expect(auditAction('new-thing', 'vi')).toBe('Khác (new-thing)');
  });

  it('turns the config into leaves and typed values back into JSON of the same kind', () => {
    expect(configLeaves({ a: { b: 1, c: {} }, d: [1] })).toEqual([
      ['a.b', 1],
      ['a.c', {}],
      ['d', [1]],
    ]);
    expect(parseLeaf('192', 128)).toBe(192);
    expect(parseLeaf('abc', 128)).toBe('abc');
    expect(parseLeaf('false', true)).toBe(false);
    expect(parseLeaf('["x"]', [])).toEqual(['x']);
    expect(parseLeaf('Phòng 2', 'Phòng 1')).toBe('Phòng 2');
  });
});
