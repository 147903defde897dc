/**
 * The Vietnamese domain terms the catalogue uses, one word per thing, with the English beside it
 * and the variants it does not use. tests/messages/catalogue.test.ts checks every catalogue against
 * `avoid`. Read with ./README.md, which gives the reasons.
 */
export interface Term {
  vi: string;
  en: string;
  /** When to use it, and what it is not. */
  rule: string;
  /** Variants that must not appear in a Vietnamese text (letters only match whole words). */
  avoid?: readonly RegExp[];
}

// A word boundary that knows Vietnamese letters (\b does not).
const word = (pattern: string) => new RegExp(`(?<![\\p{L}\\p{M}])(?:${pattern})(?![\\p{L}\\p{M}])`, 'iu');

export const glossary: readonly Term[] = [
  {
    vi: 'buổi tiếp công dân (buổi tiếp)',
    en: 'reception session (session)',
    rule: 'One scheduled reception, from preparation to its sealed recording. "Phiên" only in "phiên bản" (version) and "phiên đăng nhập" (login).',
    avoid: [word('phiên(?! bản| đăng nhập)')],
  },
  {
    vi: 'điểm cầu chủ trì',
    en: 'chairing site',
    rule: 'The site that chairs the online reception; this room is a điểm cầu. Central monitoring is "giám sát trung tâm", not a site.',
    avoid: [word('điểm cầu trung tâm')],
  },
  {
    vi: 'sự cố / gặp sự cố',
    en: 'failure / failed',
    rule: 'A session or piece of equipment that stopped working; the failed state is "Gặp sự cố" everywhere.',
  },
  {
    vi: 'cán bộ kỹ thuật',
    en: 'technician',
    rule: 'The role that keeps the room working (role_technician). Not "kỹ thuật viên".',
    avoid: [word('kỹ thuật viên')],
  },
  {
    vi: 'cán bộ tiếp công dân',
    en: 'reception officer',
    rule: 'The official who receives citizens in the room.',
  },
  {
    vi: 'bản ghi / đoạn ghi / niêm phong',
    en: 'recording / segment / seal',
    rule: 'A session\'s recording is a bản ghi made of đoạn ghi, each sealed (niêm phong) by its hash. Not "hồ sơ ghi hình".',
    avoid: [word('hồ sơ ghi hình'), word('hồ sơ bản ghi')],
  },
  {
    vi: 'biên bản',
    en: 'report (the signed record)',
    rule: 'The printed record of a session, signed by the people present.',
  },
  {
    vi: 'vụ việc',
    en: 'case',
    rule: 'A complaint (khiếu nại), denunciation (tố cáo) or petition (kiến nghị, phản ánh) heard in a session.',
  },
  {
    vi: 'người tố cáo',
    en: 'denouncer',
    rule: 'A citizen who denounces; their identity is confidential. Not "người tố giác".',
    avoid: [word('người tố giác')],
  },
  {
    vi: 'kiểm thử thiết bị (kiểm thử)',
    en: 'readiness test',
    rule: 'The automatic and on-demand tests of the room\'s equipment; "kiểm tra toàn vẹn" is verifying a recording.',
  },
  {
    vi: 'micrô',
    en: 'microphone',
    rule: 'Written with ô, as Vietnamese loanwords are.',
    avoid: [word('micro')],
  },
  {
    vi: 'huỷ, khoá, xoá, hoà',
    en: '(spelling)',
    rule: 'The tone mark sits on the last vowel of oa, oe, uy, as in the rest of the catalogue.',
    avoid: [word('hủy'), word('khóa'), word('xóa'), word('hòa')],
  },
];
