import { describe, expect, it } from 'vitest';
import { parseLine } from '../../kiosk/web/log-lines.js';

describe('log tail lines (kiosk/web/log-lines.ts)', () => {
  it('reads a pino line with a level label, keeping the rest as context', () => {
    expect(
      parseLine(
        '{"level":"warn","time":"2026-12-01T10:00:00.000Z","svc":"diemcau","pid":1,"hostname":"h","component":"auth","msg":"console login","username":"kythuat"}',
      ),
    ).toEqual({
      at: '2026-12-01T10:00:00.000Z',
      level: 40,
      component: 'auth',
      msg: 'console login',
      context: { username: 'kythuat' },
    });
    expect(parseLine('{"level":30,"time":1764583200000,"msg":"ready"}')).toMatchObject({
      level: 30,
      at: '2025-12-01T10:00:00.000Z',
      component: null,
    });
  });

  it('shows a line that is not JSON as it is', () => {
    expect(parseLine('plain text')).toEqual({ at: null, level: null, component: null, msg: 'plain text', context: {} });
  });
});
