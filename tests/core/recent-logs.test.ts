import { describe, expect, it } from 'vitest';
import { createLogger } from '../../kiosk/core/logger.js';
import { RecentLogs, redactLogLine } from '../../kiosk/core/recent-logs.js';

describe('recent log lines (central monitoring’s recent-logs)', () => {
  it('keeps the newest lines, oldest first, within its capacity', () => {
    const recent = new RecentLogs(3);
    for (let i = 1; i <= 5; i++) recent.write(`{"msg":"line ${i}"}\n`);
    expect(recent.newest(10).map((l) => JSON.parse(l).msg)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(recent.newest(2).map((l) => JSON.parse(l).msg)).toEqual(['line 4', 'line 5']);
  });

  it('joins a line written in pieces', () => {
    const recent = new RecentLogs();
    recent.write('{"msg":"ha');
    recent.write('lf"}\n{"msg":"next"}\n');
    expect(recent.newest(5).map((l) => JSON.parse(l).msg)).toEqual(['half', 'next']);
  });

  it('takes every line the logger writes, with the logger’s own redaction', async () => {
    const recent = new RecentLogs();
    const sink: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void sink.push(line) }, recent);
    logger.info({ password: 'bí mật 123' }, 'login');
    logger.debug('not at this level');
    logger.warn({ component: 'fleet' }, 'link down');
    await new Promise((resolve) => setImmediate(resolve));
    const lines = recent.newest(10).map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(['login', 'link down']);
    expect(lines[0].password).toBe('[redacted]');
    expect(sink).toHaveLength(2);
  });

  it.each([
    [
      'an identity field, at any depth',
      { msg: 'citizen added', detail: { citizenName: 'Nguyễn Văn A', name: 'Trần Thị B' } },
      ['Nguyễn Văn A', 'Trần Thị B'],
    ],
    [
      'a CCCD and a phone number in a message',
      { msg: 'ghi chú: CCCD 087123456789, số 0912345678, +84912345678' },
      ['087123456789', '0912345678', '+84912345678'],
    ],
    [
      'an nkey seed',
      { msg: `bad seed SUAGMJH5XLGZKQQWAWKRZJIGMOU4HPFUYLXJMXOO5NLFEO2OOQJ5LPRDPM` },
      ['SUAGMJH5XLGZKQQWAWKRZJIGMOU4HPFUYLXJMXOO5NLFEO2OOQJ5LPRDPM'],
    ],
    [
      'a bearer token and a session cookie',
      { msg: 'header Authorization: Bearer abc.def-123 cookie diemcau_session=xyz789' },
      ['abc.def-123', 'xyz789'],
    ],
    ['an e-mail address', { err: 'mail to ong.a@example.vn failed' }, ['ong.a@example.vn']],
    [
      'a private key',
      { err: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----' },
      ['MC4CAQAwBQYDK2VwBCIEI'],
    ],
  ])('redacts %s', (_what, entry, secrets) => {
    const line = redactLogLine(JSON.stringify(entry));
    for (const secret of secrets) expect(line).not.toContain(secret);
    expect(() => JSON.parse(line)).not.toThrow();
  });

  it('keeps what a technician needs: messages, components, ids, numbers and times', () => {
    const entry = {
      level: 'info',
      time: '2026-12-01T08:00:00.000Z',
      svc: 'diemcau',
      component: 'recordings',
      recordingId: 'b3c1e2f0-5d2a-4c1e-9b7a-1f2e3d4c5b6a',
      segments: 123456789,
      msg: 'recording sealed',
    };
    expect(JSON.parse(redactLogLine(JSON.stringify(entry)))).toEqual(entry);
    expect(redactLogLine('GStreamer-WARNING: 0:00:01.5 pipeline 12 stalled')).toBe(
      'GStreamer-WARNING: 0:00:01.5 pipeline 12 stalled',
    );
  });
});
