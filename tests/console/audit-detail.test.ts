import { describe, expect, it } from 'vitest';
import { auditDetail } from '../../kiosk/evidence/audit-detail.js';
import { auditDetailText } from '../../kiosk/ui/console/labels.js';

/** The audit log's details are stored as codes and figures and worded by the console, in Vietnamese or English. */
describe('audit details in words (auditDetailText)', () => {
  it.each([
    [auditDetail({ code: 'play', segments: 3 }), '3 đoạn', '3 segments'],
    [auditDetail({ code: 'verify-intact' }), 'Nguyên vẹn', 'Intact'],
    [auditDetail({ code: 'verify-problems', problems: 2 }), 'Phát hiện 2 sai lệch', '2 problems found'],
    [
      auditDetail({
        code: 'export',
        encryption: 'clear',
        dir: '/media/usb/rec-1',
        drive: '/dev/sdb1',
        bytes: 2_100_000,
      }),
      'Sao không mã hoá ra /media/usb/rec-1 trên /dev/sdb1; 2,1 MB, đã kiểm tra bản sao',
      'Copied unencrypted to /media/usb/rec-1 on /dev/sdb1; 2.1 MB, copy verified',
    ],
    [
      auditDetail({
        code: 'export',
        encryption: 'recipients',
        recipients: ['Thanh tra tỉnh', 'Công an tỉnh'],
        dir: '/media/usb/rec-2.encrypted',
        drive: '/dev/sdb1',
        bytes: 999,
      }),
      'Sao mã hoá cho Thanh tra tỉnh, Công an tỉnh ra /media/usb/rec-2.encrypted trên /dev/sdb1; 999 B, đã kiểm tra bản sao',
      'Copied encrypted for Thanh tra tỉnh, Công an tỉnh, to /media/usb/rec-2.encrypted on /dev/sdb1; 999 B, copy verified',
    ],
    [
      auditDetail({ code: 'export-refused', refusal: 'no-recipients' }),
      expect.stringMatching(/^Từ chối: .+/),
      expect.stringMatching(/^Refused: .+/),
    ],
    [
      auditDetail({ code: 'delete', reason: 'expired', bytes: 5_000_000_000 }),
      'Hết thời hạn lưu giữ; 5,0 GB; đã có bản sao được kiểm tra',
      'Retention period over; 5.0 GB; a verified copy exists',
    ],
    // Names stay as written; so do entries from before details were codes, and codes not known yet.
    ['segment-00001.mkv', 'segment-00001.mkv', 'segment-00001.mkv'],
    ['intact', 'intact', 'intact'],
    ['{"code":"later-thing"}', '{"code":"later-thing"}', '{"code":"later-thing"}'],
    ['{not json', '{not json', '{not json'],
    [null, '', ''],
  ])('%s', (detail, vi, en) => {
    expect(auditDetailText(detail, 'vi')).toEqual(vi);
    expect(auditDetailText(detail, 'en')).toEqual(en);
  });

  it('words a refused export’s reason from the same catalogue as the API’s refusal', () => {
    const text = auditDetailText(auditDetail({ code: 'export-refused', refusal: 'passphrase-too-short' }), 'vi');
    expect(text).not.toContain('passphrase-too-short');
    expect(text).not.toMatch(/[A-Za-z]{3,} [a-z]{3,}/);
  });
});
