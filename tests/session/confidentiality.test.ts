import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { SessionStore } from '../../kiosk/session/session-store.js';
import { fleetViewOfSession } from '../../kiosk/session/views.js';
import { Database } from '../../kiosk/store/database.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { addConsoleUser, call, login, sessionBody } from './helpers.js';

const denouncer = {
  name: 'Trần Thị Bí Mật',
  idNumber: '079188000123',
  phone: '0909123456',
  address: '12 đường Hoa Sữa, phường Tân Định',
};
const secretSummary = 'Tố cáo cán bộ địa chính nhận tiền khi cấp sổ đỏ lô 77';
const complainant = { name: 'Lê Văn Công Khai' };
const secrets = [denouncer.name, denouncer.idNumber, denouncer.phone, denouncer.address];

function expectNoSecret(text: string, where: string) {
  for (const secret of secrets) expect(text.includes(secret), `${where} contains "${secret}"`).toBe(false);
}

// The real daemon as a child process, with the real console login and the evidence store's audit log.
describe('a denouncer stays confidential', () => {
  let dir: string | undefined;
  let daemon: DaemonHandle | undefined;

  beforeAll(() => {
    expect(existsSync(join(projectRoot(), 'dist', 'kiosk', 'cli.js')), 'build first: npx tsc -p .').toBe(true);
  });

  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    daemon = undefined;
    await removeTempDir(dir);
    dir = undefined;
  });

  it('is masked on the kiosk, absent from fleet payloads and logs, sealed at rest, and read only by allowed roles with an audit entry', async () => {
    dir = await makeTempDir('session-confidential');
    const configPath = writeTestConfig(dir, (config) => {
      config.log = { level: 'debug' };
    });
    const password = 'mat-khau-thu-nghiem';
    await addConsoleUser(configPath, 'canbo', 'officer', password);
    await addConsoleUser(configPath, 'lanhdao', 'leader', password);
    daemon = await startDaemon(configPath, { readyTimeoutMs: 40_000 });
    const officer = await login(daemon.consoleUrl, 'canbo', password);
    const leader = await login(daemon.consoleUrl, 'lanhdao', password);
    const seen: string[] = [];
    const api = async (method: string, url: string, body?: unknown, cookie?: string) => {
      const response = await call(method, url, body, cookie);
      seen.push(response.text);
      return response;
    };

    const id = (await api('POST', `${daemon.consoleUrl}/api/schedule`, sessionBody(), officer)).json.session
      .id as string;
    const tc = await api(
      'POST',
      `${daemon.consoleUrl}/api/schedule/${id}/cases`,
      { type: 'TC', summary: secretSummary, flags: { complex: true } },
      officer,
    );
    expect(tc.status, tc.text).toBe(201);
    expect(tc.json.case.confidential).toBe(true);
    const refusedOpen = await api(
      'POST',
      `${daemon.consoleUrl}/api/schedule/${id}/cases`,
      { type: 'TC', summary: 'x', confidential: false },
      officer,
    );
    expect(refusedOpen.status).toBe(400);
    const kn = await api(
      'POST',
      `${daemon.consoleUrl}/api/schedule/${id}/cases`,
      { type: 'KN', summary: 'Khiếu nại về bồi thường giải phóng mặt bằng', flags: { mass: true } },
      officer,
    );
    const denouncerRow = await api(
      'POST',
      `${daemon.consoleUrl}/api/cases/${tc.json.case.id}/citizens`,
      { role: 'denouncer', identity: denouncer },
      officer,
    );
    expect(denouncerRow.status, denouncerRow.text).toBe(201);
    const complainantRow = await api(
      'POST',
      `${daemon.consoleUrl}/api/cases/${kn.json.case.id}/citizens`,
      { role: 'complainant', identity: complainant, attendance: 'present' },
      officer,
    );
    expect(complainantRow.status).toBe(201);
    const citizenId: string = denouncerRow.json.citizen.id;

    // Kiosk: masked, no summary of the confidential case; open cases keep their names.
    const kiosk = await api('GET', `${daemon.kioskUrl}/api/session/current`);
    expect(kiosk.status).toBe(200);
    expectNoSecret(kiosk.text, 'kiosk /session/current');
    expect(kiosk.text).not.toContain(secretSummary);
    expect(kiosk.text).toContain('Người tố cáo #1');
    expect(kiosk.text).toContain(complainant.name);
    const started = await api('POST', `${daemon.kioskUrl}/api/session/${id}/start`);
    expect(started.status, started.text).toBe(200);
    expectNoSecret(started.text, 'kiosk start');
    expect(
      (
        await api('POST', `${daemon.kioskUrl}/api/session/${id}/events`, {
          type: 'case-changed',
          caseId: tc.json.case.id,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api('POST', `${daemon.kioskUrl}/api/session/${id}/events`, {
          type: 'technician-called',
          note: 'micro rè',
        })
      ).status,
    ).toBe(201);

    // Console: masked for everyone in lists; the identity itself only for an allowed role.
    const consoleView = await api('GET', `${daemon.consoleUrl}/api/schedule/${id}`, undefined, leader);
    expectNoSecret(consoleView.text, 'console session view');
    expect(
      (await api('GET', `${daemon.consoleUrl}/api/citizens/${citizenId}/identity`, undefined, officer)).status,
    ).toBe(403);
    expect((await call('GET', `${daemon.consoleUrl}/api/citizens/${citizenId}/identity`)).status).toBe(401);
    const allowed = await call('GET', `${daemon.consoleUrl}/api/citizens/${citizenId}/identity`, undefined, leader);
    expect(allowed.status, allowed.text).toBe(200);
    expect(allowed.json.identity).toEqual(denouncer);
    const report = await api('GET', `${daemon.consoleUrl}/api/sessions/${id}/report`, undefined, leader);
    expectNoSecret(report.text, 'session report');
    expect((await api('POST', `${daemon.kioskUrl}/api/session/${id}/end`, {})).json.session.state).toBe('closed');

    expect(await daemon.stop('SIGTERM')).toBe(0);
    for (const response of seen) expectNoSecret(response, 'an API response');
    expectNoSecret(daemon.output(), 'the daemon log');
    expect(daemon.output()).toMatch(/"confidential":true,"msg":"identity read"/);

    const dbPath = join(dir, 'data', 'diemcau.sqlite');
    for (const file of [dbPath, `${dbPath}-wal`]) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0));
      expectNoSecret(bytes.toString('utf8'), `${file} at rest`);
      expectNoSecret(bytes.toString('latin1'), `${file} at rest`);
    }

    const db = await Database.open(dbPath, 'readonly');
    try {
      const audit = await db.all<{ actor: string; role: string; action: string; target: string }>(
        `SELECT actor, role, action, target FROM audit_log WHERE action = 'identity-view'`,
      );
      expect(audit).toEqual([
        { actor: 'lanhdao', role: 'leader', action: 'identity-view', target: `citizen:${citizenId}` },
      ]);
      const store = new SessionStore(db);
      const session = (await store.getSession(id))!;
      const fleet = JSON.stringify(
        fleetViewOfSession(session, await store.cases(id), await store.citizens(id), await store.events(id)),
      );
      expectNoSecret(fleet, 'the fleet view');
      expect(fleet).not.toContain(secretSummary);
      expect(fleet).not.toContain('micro rè');
      expect(JSON.parse(fleet).cases).toEqual([
        {
          position: 1,
          type: 'TC',
          flags: { mass: false, complex: true, prolonged: false, escalated: false },
          confidential: true,
          citizens: 1,
          present: 0,
        },
        {
          position: 2,
          type: 'KN',
          flags: { mass: true, complex: false, prolonged: false, escalated: false },
          confidential: false,
          citizens: 1,
          present: 1,
        },
      ]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
