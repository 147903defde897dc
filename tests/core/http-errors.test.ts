import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { PtzBusyError, PtzCommandError, PtzNotConnectedError, PtzTimeoutError } from '../../hal/ptz/errors.js';
import { DutyError } from '../../kiosk/auth/auth-service.js';
import { UserError } from '../../kiosk/auth/user-store.js';
import { DomainError, type ErrorCategory } from '../../kiosk/core/domain-error.js';
import { createApiApp, errorAnswer, finishApiApp } from '../../kiosk/core/http.js';
import { EvidenceNotFoundError, ExportRefusedError } from '../../kiosk/evidence/evidence-store.js';
import { ExportError } from '../../kiosk/evidence/export.js';
import { OnvifSetupError } from '../../kiosk/ip-cameras/onvif-setup.js';
import { ptzDeviceError } from '../../kiosk/ptz/device-errors.js';
import { SessionError } from '../../kiosk/session/errors.js';
import { ChangeError } from '../../kiosk/settings/changes.js';
import { UpdateError } from '../../kiosk/update/update-error.js';

/** The one error → HTTP mapping (kiosk/core/http.ts): every category, every feature's refusal, the rest. */
describe('errorAnswer', () => {
  it.each<[ErrorCategory, number]>([
    ['invalid', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['not-found', 404],
    ['conflict', 409],
    ['too-large', 413],
    ['unprocessable', 422],
    ['too-many', 429],
    ['unsupported', 501],
    ['upstream-failed', 502],
    ['unavailable', 503],
    ['timeout', 504],
  ])('answers a %s error with %i, its code and its message', (category, status) => {
    const answer = errorAnswer(new DomainError(category, 'some_code', 'what happened'));
    expect(answer).toEqual({
      status,
      body: { error: { code: 'some_code', message: 'what happened' } },
      unexpected: false,
    });
  });

  it('sends details when there are some, and no details key otherwise', () => {
    const details = [{ path: 'a.b', message: 'too big' }];
    expect(errorAnswer(new DomainError('invalid', 'invalid_body', 'bad', details)).body.error).toEqual({
      code: 'invalid_body',
      message: 'bad',
      details,
    });
    expect(errorAnswer(new DomainError('invalid', 'invalid_body', 'bad')).body.error).not.toHaveProperty('details');
  });

  // Status and code as each feature's routes answered them before the mapping moved to one place.
  it.each<[string, unknown, number, string, unknown?]>([
    ['session not found', new SessionError('not_found', 'no session'), 404, 'not_found'],
    ['session conflict', new SessionError('conflict', 'live'), 409, 'conflict'],
    ['session forbidden', new SessionError('forbidden', 'no'), 403, 'forbidden'],
    ['session unavailable', new SessionError('unavailable', 'later'), 503, 'unavailable'],
    [
      'session invalid with details',
      new SessionError('invalid', 'bad', [{ path: 'x' }]),
      400,
      'invalid',
      [{ path: 'x' }],
    ],
    [
      'update refused',
      new UpdateError('conflict', 'live-session', 'a session is live'),
      409,
      'live-session',
      { label: expect.objectContaining({ vi: expect.any(String), en: expect.any(String) }) },
    ],
    ['onvif credentials', new OnvifSetupError('unusable-credentials', 'x'), 400, 'onvif_unusable_credentials'],
    ['onvif login refused', new OnvifSetupError('not-authorized', 'x'), 422, 'onvif_not_authorized'],
    ['onvif no profile', new OnvifSetupError('no-such-profile', 'x'), 404, 'onvif_no_such_profile'],
    ['onvif unreachable', new OnvifSetupError('unreachable', 'x'), 502, 'onvif_unreachable'],
    ['onvif timeout', new OnvifSetupError('timeout', 'x'), 504, 'onvif_timeout'],
    ['onvif camera fault', new OnvifSetupError('camera-fault', 'x'), 502, 'onvif_camera_fault'],
    ['recording not found', new EvidenceNotFoundError('no recording r1'), 404, 'not_found'],
    [
      'export passphrase',
      new ExportRefusedError('x', 'passphrase-forbidden'),
      403,
      'export_refused_passphrase_forbidden',
    ],
    [
      'export short passphrase',
      new ExportRefusedError('x', 'passphrase-too-short'),
      400,
      'export_refused_passphrase_too_short',
    ],
    ['export bad target', new ExportRefusedError('x', 'bad-target'), 400, 'export_refused_bad_target'],
    ['export no recipients', new ExportRefusedError('x', 'no-recipients'), 409, 'export_refused_no_recipients'],
    ['export not finished', new ExportRefusedError('x'), 409, 'export_refused_not_finished'],
    ['export empty', new ExportRefusedError('x', 'empty'), 409, 'export_refused_empty'],
    ['export exists', new ExportError('x', [], 'exists'), 409, 'export_exists'],
    ['export stopped', new ExportError('x', [], 'stopped'), 504, 'export_stopped'],
    ['export source changed', new ExportError('x', [], 'source-changed'), 422, 'export_source_changed'],
    [
      'export not verified, with findings',
      new ExportError('x', [{ file: 'a.mp4', reason: 'missing', detail: 'gone' }]),
      422,
      'export_not_verified',
      [{ file: 'a.mp4', reason: 'missing', detail: 'gone' }],
    ],
    [
      'config change',
      new ChangeError('a..b', 'bad path a..b'),
      400,
      'invalid_config',
      [{ path: 'a..b', code: 'invalid_path' }],
    ],
    ['account', new UserError('bad name'), 400, 'invalid_user'],
    ['separation of duties', new DutyError('needs a second person'), 403, 'separation_of_duties'],
    ['ptz timeout', ptzDeviceError(new PtzTimeoutError('late')), 504, 'ptz_timeout'],
    ['ptz not connected', ptzDeviceError(new PtzNotConnectedError('gone')), 503, 'ptz_unavailable'],
    ['ptz busy', ptzDeviceError(new PtzBusyError('queue full')), 429, 'ptz_busy'],
    [
      'ptz refused',
      ptzDeviceError(new PtzCommandError('refused', 'not-executable', 0x41)),
      502,
      'ptz_refused',
      { reason: 'not-executable', code: 0x41 },
    ],
    ['ptz out of range', ptzDeviceError(new RangeError('speed 2')), 400, 'ptz_out_of_range'],
  ])('%s', (_name, error, status, code, details) => {
    const answer = errorAnswer(error);
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(answer.body.error.details).toEqual(details);
    expect(answer.unexpected).toBe(false);
  });

  it('answers any other error with a 500 that does not show its message, and marks it to be logged', () => {
    for (const error of [
      new Error('SQLITE_BUSY at /var/lib/diemcau/db'),
      new TypeError('x is undefined'),
      'a string',
      null,
    ]) {
      expect(errorAnswer(error)).toEqual({
        status: 500,
        body: { error: { code: 'internal', message: 'internal error' } },
        unexpected: true,
      });
    }
  });

  it('passes a PTZ error it does not know through untouched', () => {
    const other = new Error('other');
    expect(ptzDeviceError(other)).toBe(other);
  });

  it("answers the body parser's own refusals as before", () => {
    expect(
      errorAnswer(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413, limit: 16384 })),
    ).toEqual({
      status: 413,
      body: { error: { code: 'body_too_large', message: 'request body larger than 16384 bytes' } },
      unexpected: false,
    });
    expect(
      errorAnswer(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 })),
    ).toEqual({
      status: 400,
      body: { error: { code: 'malformed_json', message: 'request body is not valid JSON' } },
      unexpected: false,
    });
    expect(errorAnswer(Object.assign(new Error('unsupported charset "x"'), { status: 415 }))).toMatchObject({
      status: 415,
      body: { error: { code: 'bad_request' } },
    });
  });
});

describe('finishApiApp', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('answers every router with the one mapping and logs only the unexpected, never answering its message', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const app = createApiApp({ bodyLimit: '1kb', logger });
    app.get('/refused', async () => {
      throw new SessionError('conflict', 'a session is live');
    });
    app.get('/broken', async () => {
      throw new Error('secret path /var/lib/diemcau/identities');
    });
    finishApiApp(app, logger);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const refused = await fetch(`${base}/refused`);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: { code: 'conflict', message: 'a session is live' } });
    expect(lines).toEqual([]);

    const broken = await fetch(`${base}/broken`);
    expect(broken.status).toBe(500);
    const text = await broken.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(text).not.toContain('secret');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'request failed',
      path: '/broken',
      err: expect.stringContaining('secret path'),
    });

    const missing = await fetch(`${base}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
