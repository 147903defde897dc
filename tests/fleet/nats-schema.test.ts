import { describe, expect, it } from 'vitest';
import { maxBytes, SchemaError } from '../../kiosk/fleet/nats/codec.js';
import {
  boundLogLines,
  buildCommandError,
  buildCommandRequest,
  buildCommandResult,
  parseCommandReply,
  parseCommandRequest,
  type CommandArgsInput,
  type CommandResult,
} from '../../kiosk/fleet/nats/commands.js';
import { buildRoomEvent, parseRoomEvent, parseRoomEventMessage } from '../../kiosk/fleet/nats/events.js';
import { checkServerUrl } from '../../config/server-url.js';
import { buildRoomState, parseRoomState } from '../../kiosk/fleet/nats/state.js';
import { eventMessageId, parseSubject, subjects, type CommandName } from '../../kiosk/fleet/nats/subjects.js';
import { buildTelemetry, parseTelemetry, type Telemetry } from '../../kiosk/fleet/nats/telemetry.js';

const at = '2026-12-01T08:00:00.000+07:00';

const telemetry: Telemetry = {
  v: 1,
  at,
  seq: 42,
  full: true,
  version: '0.1.0',
  system: { uptimeS: 86_400, load1: 0.4, cpuPct: 23.5, cpuTempC: 51, memUsedPct: 38, memTotalMB: 8192 },
  disks: [{ mount: '/var/lib/diemcau', sizeBytes: 500e9, usedBytes: 120e9 }],
  network: [{ iface: 'eth0', up: true, speedMbps: 1000 }],
  devices: { camera: 'ok', ptz: 'ok', microphone: 'connecting', display: 'ok', ups: 'ok', gpio: 'bad-config' },
  ups: { onBattery: false, chargePct: 100, runtimeS: 1800 },
  media: { stream: 'live', fps: 30, bitrateKbps: 4000, droppedFrames: 3 },
};
const state = {
  v: 1,
  at,
  version: '0.1.0',
  health: 'degraded',
  live: null,
  nextSession: {
    sessionId: 'ses_01J9Z',
    startsAt: '2026-12-02T08:00:00.000+07:00',
    readiness: { dayBefore: 'pass', twoHours: null },
  },
  lastReadiness: { runId: 'run_7', kind: 'day-before', overall: 'pass', finishedAt: at },
  openAlerts: 1,
} as const;
const event = {
  v: 1,
  seq: 12,
  at,
  topic: 'disk',
  severity: 'warning',
  alert: { key: 'disk-low', state: 'raised' },
  data: { freeBytes: 9e9, level: 'warning' },
} as const;

describe('NATS message schema v1: every kind round-trips through build and parse', () => {
  it.each([
    ['telemetry', buildTelemetry, parseTelemetry, telemetry],
    ['telemetry, a section-only sample', buildTelemetry, parseTelemetry, { v: 1, at, seq: 43, full: false, ups: null }],
    ['room state', buildRoomState, parseRoomState, state],
    [
      'room state, live',
      buildRoomState,
      parseRoomState,
      {
        ...state,
        health: 'ok',
        live: { sessionId: 'ses_01J9Z', since: at },
        nextSession: null,
        lastReadiness: null,
        openAlerts: 0,
      },
    ],
    ['event', buildRoomEvent, parseRoomEvent, event],
  ] as const)('%s', (_name, build, parse, value) => {
    const bytes = (build as (v: unknown) => Uint8Array)(value);
    expect((parse as (d: Uint8Array) => unknown)(bytes)).toEqual({ ok: true, value });
  });

  const requests: { [C in CommandName]: [CommandArgsInput<C>, CommandResult<C>] } = {
    ping: [{}, { at, uptimeS: 5, version: '0.1.0' }],
    'run-readiness': [{ sessionId: 'ses_01J9Z' }, { runId: 'run_8', overall: 'warn', startedAt: at, finishedAt: at }],
    'push-schedule': [
      {
        sessions: [
          {
            fleetId: 'tinh-1',
            revision: 2,
            kind: 'ad-hoc',
            title: 'Tiếp công dân đột xuất',
            chairSite: { name: 'UBND tỉnh' },
            startsAt: '2026-12-02T08:00:00+07:00',
            endsAt: '2026-12-02T10:00:00+07:00',
          },
        ],
      },
      { created: 1, updated: 0, cancelled: 0, ignored: 0 },
    ],
    'recent-logs': [{ lines: 2 }, { lines: ['{"level":30,"msg":"a"}', '{"level":40,"msg":"b"}'], truncated: true }],
    reboot: [{ reason: 'cập nhật phần mềm' }, { at }],
    update: [
      { url: 'https://phathanh.dongthap.gov.vn/diemcau-0.2.0-linux-arm64.tar.gz' },
      { updateId: 'u-20261201-abc123', state: 'downloading' },
    ],
  };
  it.each(Object.entries(requests) as [CommandName, [unknown, unknown]][])(
    'command %s: request and result',
    (command, [args, result]) => {
      const request = parseCommandRequest(
        subjects.command('room-a', command),
        buildCommandRequest(command, 'req-1', args as never),
      );
      expect(request).toMatchObject({ ok: true, value: { command, id: 'req-1' } });
      const reply = parseCommandReply(command, buildCommandResult(command, 'req-1', result as never));
      expect(reply).toEqual({ ok: true, value: { v: 1, id: 'req-1', ok: true, result } });
    },
  );

  it('fills the defaults a request may leave out, and an error reply round-trips for any command', () => {
    expect(
      parseCommandRequest(subjects.command('room-a', 'recent-logs'), buildCommandRequest('recent-logs', 'r', {})),
    ).toMatchObject({ ok: true, value: { args: { lines: 200 } } });
    expect(
      parseCommandRequest(subjects.command('room-a', 'run-readiness'), buildCommandRequest('run-readiness', 'r', {})),
    ).toMatchObject({ ok: true, value: { args: { sessionId: null } } });
    const error = buildCommandError('r', { code: 'refused', message: 'a session is live' });
    expect(parseCommandReply('reboot', error)).toEqual({
      ok: true,
      value: { v: 1, id: 'r', ok: false, error: { code: 'refused', message: 'a session is live' } },
    });
  });
});

describe('NATS message schema v1: what the parsers refuse, and why', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  it.each([
    ['not JSON', 'telemetry {', 'malformed', /not valid UTF-8 JSON/],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), 'malformed', /not valid UTF-8 JSON/],
    ['a JSON array', '[1]', 'malformed', /not a JSON object/],
    ['no version', JSON.stringify({ ...telemetry, v: undefined }), 'malformed', /no schema version/],
    [
      'a future version',
      JSON.stringify({ ...telemetry, v: 2 }),
      'unsupported-version',
      /schema version 2 is not supported \(this side speaks version 1\)/,
    ],
    [
      'a version as text',
      JSON.stringify({ ...telemetry, v: '1' }),
      'unsupported-version',
      /schema version "1" is not supported/,
    ],
    ['a negative seq', JSON.stringify({ ...telemetry, seq: -1 }), 'malformed', /seq:/],
    [
      'a percentage above 100',
      JSON.stringify({ ...telemetry, system: { ...telemetry.system, cpuPct: 140 } }),
      'malformed',
      /system\.cpuPct/,
    ],
    [
      'an unknown device status',
      JSON.stringify({ ...telemetry, devices: { camera: 'melted' } }),
      'malformed',
      /devices\.camera/,
    ],
    [
      'oversized',
      JSON.stringify({ ...telemetry, version: 'x'.repeat(maxBytes.telemetry) }),
      'too-large',
      /more than the 8192 allowed/,
    ],
  ] as const)('telemetry: %s', (_name, data, code, error) => {
    const parsed = parseTelemetry(typeof data === 'string' ? utf8(data) : data);
    expect(parsed).toMatchObject({ ok: false, code });
    expect(!parsed.ok && parsed.error).toMatch(error);
  });

  it('refuses an oversized payload before parsing it', () => {
    const huge = `{"v":1,"pad":"${'x'.repeat(maxBytes.event)}"`; // not even closed: size is checked first
    expect(parseRoomEvent(huge)).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('refuses a room state that names a session with anything but an id', () => {
    const named = { ...state, live: { sessionId: 'Nguyễn Văn A', since: at } };
    expect(parseRoomState(JSON.stringify(named))).toMatchObject({
      ok: false,
      code: 'malformed',
      error: expect.stringContaining('live.sessionId'),
    });
  });

  it('refuses an event of an unknown topic, and one published on another topic’s subject', () => {
    expect(parseRoomEvent(JSON.stringify({ ...event, topic: 'gossip' }))).toMatchObject({
      ok: false,
      code: 'malformed',
      error: expect.stringContaining('topic'),
    });
    expect(parseRoomEventMessage(subjects.event('room-a', 'power'), JSON.stringify(event))).toMatchObject({
      ok: false,
      error: expect.stringContaining('topic disk published on'),
    });
    expect(parseRoomEventMessage('diemcau.v2.room.room-a.event.disk', JSON.stringify(event))).toMatchObject({
      ok: false,
      error: expect.stringContaining('not an event subject'),
    });
    expect(parseRoomEventMessage(subjects.event('room-a', 'disk'), JSON.stringify(event))).toEqual({
      ok: true,
      value: { roomId: 'room-a', event },
    });
  });

  it('central ignores a field it does not know (rooms may be upgraded first); a room refuses one in a command', () => {
    expect(parseTelemetry(JSON.stringify({ ...telemetry, fanRpm: 1200 }))).toEqual({ ok: true, value: telemetry });
    const request = parseCommandRequest(
      subjects.command('room-a', 'reboot'),
      JSON.stringify({ v: 1, id: 'r9', args: { reason: 'x', force: true } }),
    );
    expect(request).toMatchObject({ ok: false, code: 'malformed', id: 'r9', error: expect.stringContaining('force') });
  });

  it.each([
    ['an unknown command', 'diemcau.v1.cmd.room-a.format-disk', '{"v":1,"id":"a","args":{}}', 'unknown-command', 'a'],
    [
      'a command of another version',
      'diemcau.v2.cmd.room-a.ping',
      '{"v":1,"id":"b","args":{}}',
      'unknown-command',
      'b',
    ],
    ['no args', subjects.command('room-a', 'ping'), '{"v":1,"id":"c"}', 'malformed', 'c'],
    ['a request id with spaces', subjects.command('room-a', 'ping'), '{"v":1,"id":"a b","args":{}}', 'malformed', null],
    ['a future version', subjects.command('room-a', 'ping'), '{"v":3,"id":"d","args":{}}', 'unsupported-version', 'd'],
    [
      'an empty schedule entry',
      subjects.command('room-a', 'push-schedule'),
      '{"v":1,"id":"e","args":{"sessions":[{}]}}',
      'malformed',
      'e',
    ],
    [
      'a 101-session schedule',
      subjects.command('room-a', 'push-schedule'),
      JSON.stringify({ v: 1, id: 'f', args: { sessions: Array.from({ length: 101 }, () => ({})) } }),
      'malformed',
      'f',
    ],
    [
      'a schedule over 64 KiB',
      subjects.command('room-a', 'push-schedule'),
      JSON.stringify({ v: 1, id: 'g', args: { sessions: [], pad: 'x'.repeat(maxBytes.commandRequest) } }),
      'too-large',
      null,
    ],
    [
      'a log request for a million lines',
      subjects.command('room-a', 'recent-logs'),
      '{"v":1,"id":"h","args":{"lines":1000000}}',
      'malformed',
      'h',
    ],
  ] as const)('command request: %s', (_name, subject, data, code, id) => {
    expect(parseCommandRequest(subject, data)).toMatchObject({ ok: false, code, id });
  });

  it('refuses a reply whose result does not match the command', () => {
    const pingReply = buildCommandResult('ping', 'r', { at, uptimeS: 1, version: '0.1.0' });
    expect(parseCommandReply('push-schedule', pingReply)).toMatchObject({ ok: false, code: 'malformed' });
    expect(parseCommandReply('ping', '{"v":1,"id":"r","ok":true}')).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('build refuses to send what the schema would refuse, saying why', () => {
    expect(() => buildTelemetry({ ...telemetry, seq: 0 })).toThrow(SchemaError);
    expect(() => buildTelemetry({ ...telemetry, seq: 0 })).toThrow(/telemetry: seq:/);
    expect(() => buildRoomEvent({ ...event, data: { blob: 'x'.repeat(maxBytes.event) } })).toThrow(
      /more than the 32768 allowed/,
    );
    expect(() => buildCommandRequest('reboot', 'r', {} as never)).toThrow(/reason/);
  });
});

describe('recent logs fit in one reply', () => {
  it('keeps the newest lines that fit and says older ones were left out', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${i} ${'x'.repeat(300)}`);
    const bounded = boundLogLines(lines);
    expect(bounded.truncated).toBe(true);
    expect(bounded.lines.at(-1)).toBe(lines.at(-1));
    expect(bounded.lines.length).toBeGreaterThan(300);
    expect(() => buildCommandResult('recent-logs', 'r', bounded)).not.toThrow();
    expect(boundLogLines(['a', 'b'])).toEqual({ lines: ['a', 'b'], truncated: false });
  });

  it('counts the bytes JSON escaping adds (control characters)', () => {
    const lines = Array.from({ length: 1000 }, () => '\u0001'.repeat(3000));
    expect(() => buildCommandResult('recent-logs', 'r', boundLogLines(lines))).not.toThrow();
  });
});

describe('subjects of schema v1', () => {
  it.each([
    ['diemcau.v1.room.room-a.telemetry', { kind: 'telemetry', roomId: 'room-a' }],
    ['diemcau.v1.room.room-a.event.readiness', { kind: 'event', roomId: 'room-a', topic: 'readiness' }],
    ['$KV.diemcau-rooms.room-a', { kind: 'state', roomId: 'room-a' }],
    ['diemcau.v1.cmd.room-a.push-schedule', { kind: 'command', roomId: 'room-a', command: 'push-schedule' }],
    ['diemcau.v2.room.room-a.telemetry', undefined],
    ['diemcau.v1.room.room-a.event.gossip', undefined],
    ['diemcau.v1.room.room-a.telemetry.extra', undefined],
    ['diemcau.v1.room.Room_A.telemetry', undefined],
    ['diemcau.v1.cmd.room-a.format-disk', undefined],
    ['$KV.other.room-a', undefined],
  ] as const)('%s', (subject, expected) => {
    expect(parseSubject(subject)).toEqual(expected);
  });

  it('never builds a subject from a room id that is not one token', () => {
    for (const bad of ['*', '>', 'room.a', 'room a', '', 'Room-A'])
      expect(() => subjects.telemetry(bad)).toThrow(/room id/);
    expect(eventMessageId('room-a', 12)).toBe('room-a:12');
    expect(() => eventMessageId('room-a', 0)).toThrow();
    expect(subjects.inboxPrefix('room-a')).toBe('_INBOX.room-a');
  });
});

describe('server URLs a room may dial', () => {
  it.each([
    ['wss://central.tinh.gov.vn:443', true],
    ['wss://10.1.2.3:8443', true],
    ['ws://127.0.0.1:8080', true],
    ['ws://127.8.9.10:8080', true],
    ['ws://localhost:8080', true],
    ['ws://[::1]:8080', true],
    ['ws://central.tinh.gov.vn:80', false],
    ['ws://10.1.2.3:8080', false],
    ['ws://127.0.0.1.nip.io:8080', false],
    ['nats://127.0.0.1:4222', false],
    ['tls://central.tinh.gov.vn:4222', false],
    ['https://central.tinh.gov.vn', false],
    ['wss://user:secret@central.tinh.gov.vn', false],
    ['central.tinh.gov.vn:443', false],
  ] as const)('%s → %s', (url, ok) => {
    expect(checkServerUrl(url).ok).toBe(ok);
  });
});
