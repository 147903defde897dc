import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { addConsoleUser, login } from '../support/console-client.js';
import { startCentral, type Central } from '../support/central.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { call } from '../session/helpers.js';
import { waitFor } from '../support/wait.js';

/**
 * Nobody can give themselves, or an account they control, the right to read denouncers'
 * identities: in the console it takes a second holder of that right; at the device it takes root.
 * Every grant is audited and reaches central monitoring. Real daemon, real nats-server (central monitoring), real CLI.
 */
const cli = join(projectRoot(), 'dist', 'kiosk', 'cli.js');
const pw = { admin: 'mật khẩu quản trị 1', leader: 'mật khẩu lãnh đạo 1', second: 'mật khẩu bảo mật 1' };

describe('separation of duties for identity rights', () => {
  let dir: string;
  let config: string;
  let daemon: DaemonHandle;
  let central: Central;
  let admin: string;
  let leader: string;

  beforeAll(async () => {
    dir = await makeTempDir('duties');
    central = await startCentral();
    config = writeTestConfig(dir, (c) => (c.fleet = central.fleetConfig()));
    await addConsoleUser(config, 'quantri', 'admin', pw.admin);
    // The first holder of the right is made at the device, as root (these tests run as root).
    await addConsoleUser(config, 'lanhdao', 'leader', pw.leader);
    // A nats-server, two password hashes and the daemon: on a loaded machine more than the default 30 s.
    daemon = await startDaemon(config, { readyTimeoutMs: 60_000 });
    admin = await login(daemon.consoleUrl, 'quantri', pw.admin);
    leader = await login(daemon.consoleUrl, 'lanhdao', pw.leader);
  }, 90_000);
  afterAll(async () => {
    await daemon?.stop();
    await central?.close();
    await removeTempDir(dir);
  });

  const alerts = async () => (await central.events('security-alert')).map((e) => e.data as Record<string, any>);
  const tryLogin = (username: string, password: string) =>
    call('POST', `${daemon.consoleUrl}/api/auth/login`, { username, password });

  it('the CLI refuses an identity role to a user who is not root, and its grants reach central monitoring', async () => {
    const asNobody = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [cli, 'user', 'add', 'mao-danh', '--role', 'officer-confidential', '--config', config],
        { uid: 65534, gid: 65534 },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
      child.stdin!.end('mật khẩu mạo danh 1\n');
    });
    expect(asNobody.code).toBe(1);
    expect(asNobody.stderr).toContain('needs root');
    // The root grant of the leader, queued by the CLI before the daemon started, was sent on connect.
    const granted = await waitFor(
      'the CLI grant at central monitoring',
      async () => (await alerts()).find((a) => a.action === 'identity-role-granted' && a.target === 'lanhdao'),
      10_000,
      100,
    );
    expect(granted).toMatchObject({ by: 'device-cli', role: 'leader' });
  });

  it('an administrator can only ask for an identity-reading account, without a password; a second holder approves and sets it; the admin cannot', async () => {
    // The one who asks never chooses the password: he would then hold the right himself.
    const withPassword = await call(
      'POST',
      `${daemon.consoleUrl}/api/users`,
      { username: 'canbo-bm', role: 'officer-confidential', password: pw.second },
      admin,
    );
    expect([withPassword.status, withPassword.json.error.code]).toEqual([403, 'separation_of_duties']);
    const asked = await call(
      'POST',
      `${daemon.consoleUrl}/api/users`,
      { username: 'canbo-bm', role: 'officer-confidential' },
      admin,
    );
    expect(asked.status, asked.text).toBe(202);
    expect(asked.json.request).toMatchObject({
      kind: 'create',
      username: 'canbo-bm',
      role: 'officer-confidential',
      requestedBy: 'quantri',
      state: 'pending',
    });
    expect((await tryLogin('canbo-bm', pw.second)).status).toBe(401);

    const id = asked.json.request.id;
    expect(
      (
        await call(
          'POST',
          `${daemon.consoleUrl}/api/users/requests/${id}/approve`,
          { approverPassword: pw.admin, password: pw.second },
          admin,
        )
      ).status,
    ).toBe(403);
    const listed = await call('GET', `${daemon.consoleUrl}/api/users/requests`, undefined, leader);
    expect(listed.json.requests.map((r: { id: number }) => r.id)).toContain(id);
    // The approver confirms with their own password (a stolen session is not enough) and sets the new account's.
    const badConfirm = await call(
      'POST',
      `${daemon.consoleUrl}/api/users/requests/${id}/approve`,
      { approverPassword: 'không phải của tôi', password: pw.second },
      leader,
    );
    expect(badConfirm.status).toBe(403);
    const approved = await call(
      'POST',
      `${daemon.consoleUrl}/api/users/requests/${id}/approve`,
      { approverPassword: pw.leader, password: pw.second },
      leader,
    );
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json.request).toMatchObject({ state: 'approved', decidedBy: 'lanhdao' });
    expect((await tryLogin('canbo-bm', pw.second)).status).toBe(200);
    // Decided once.
    expect(
      (
        await call(
          'POST',
          `${daemon.consoleUrl}/api/users/requests/${id}/approve`,
          { approverPassword: pw.leader, password: pw.second },
          leader,
        )
      ).status,
    ).toBe(403);

    const alert = await waitFor(
      'the grant at central monitoring',
      async () => (await alerts()).find((a) => a.action === 'identity-role-granted' && a.target === 'canbo-bm'),
      5000,
      100,
    );
    expect(alert).toMatchObject({ by: 'quantri', approvedBy: 'lanhdao', role: 'officer-confidential' });
  });

  it('resetting an identity holder’s password waits for another holder who sets it; the account itself cannot approve; own password needs the current one', async () => {
    const chosen = await call(
      'PUT',
      `${daemon.consoleUrl}/api/users/lanhdao/password`,
      { password: 'mật khẩu mới của admin 1' },
      admin,
    );
    expect([chosen.status, chosen.json.error.code]).toEqual([403, 'separation_of_duties']);
    const asked = await call('PUT', `${daemon.consoleUrl}/api/users/lanhdao/password`, {}, admin);
    expect(asked.status, asked.text).toBe(202);
    expect((await tryLogin('lanhdao', pw.leader)).status).toBe(200);
    const id = asked.json.request.id;
    const self = await call(
      'POST',
      `${daemon.consoleUrl}/api/users/requests/${id}/approve`,
      { approverPassword: pw.leader, password: 'tự đặt cho mình 1' },
      leader,
    );
    expect([self.status, self.json.error.code]).toEqual([403, 'separation_of_duties']);
    // The requester withdraws it; nothing changes.
    expect((await call('POST', `${daemon.consoleUrl}/api/users/requests/${id}/refuse`, {}, admin)).status).toBe(200);
    expect((await tryLogin('lanhdao', pw.leader)).status).toBe(200);

    const again = await call('PUT', `${daemon.consoleUrl}/api/users/lanhdao/password`, {}, admin);
    const second = await login(daemon.consoleUrl, 'canbo-bm', pw.second);
    const approved = await call(
      'POST',
      `${daemon.consoleUrl}/api/users/requests/${again.json.request.id}/approve`,
      { approverPassword: pw.second, password: 'mật khẩu tạm do cán bộ đặt 1' },
      second,
    );
    expect(approved.status, approved.text).toBe(200);
    expect((await tryLogin('lanhdao', 'mật khẩu tạm do cán bộ đặt 1')).status).toBe(200);
    expect((await call('GET', `${daemon.consoleUrl}/api/auth/me`, undefined, leader)).status).toBe(401);
    await waitFor(
      'the reset at central monitoring',
      async () =>
        (await alerts()).find(
          (a) => a.action === 'identity-password-reset' && a.target === 'lanhdao' && a.approvedBy === 'canbo-bm',
        ),
      5000,
      100,
    );

    // The leader takes the account back: own password, with the current one.
    const fresh = await login(daemon.consoleUrl, 'lanhdao', 'mật khẩu tạm do cán bộ đặt 1');
    expect(
      (await call('PUT', `${daemon.consoleUrl}/api/users/lanhdao/password`, { password: pw.leader }, fresh)).status,
    ).toBe(403);
    expect(
      (
        await call(
          'PUT',
          `${daemon.consoleUrl}/api/users/lanhdao/password`,
          { password: pw.leader, currentPassword: 'mật khẩu tạm do cán bộ đặt 1' },
          fresh,
        )
      ).status,
    ).toBe(200);
    expect((await tryLogin('lanhdao', pw.leader)).status).toBe(200);
    leader = await login(daemon.consoleUrl, 'lanhdao', pw.leader);
  });

  it('enabling a disabled identity holder again is a request too; disabling is free', async () => {
    expect(
      (await call('PUT', `${daemon.consoleUrl}/api/users/canbo-bm/disabled`, { disabled: true }, admin)).status,
    ).toBe(200);
    expect((await tryLogin('canbo-bm', pw.second)).status).toBe(401);
    const asked = await call('PUT', `${daemon.consoleUrl}/api/users/canbo-bm/disabled`, { disabled: false }, admin);
    expect(asked.status, asked.text).toBe(202);
    expect((await tryLogin('canbo-bm', pw.second)).status).toBe(401);
    const approved = await call(
      'POST',
      `${daemon.consoleUrl}/api/users/requests/${asked.json.request.id}/approve`,
      { approverPassword: pw.leader },
      leader,
    );
    expect(approved.status, approved.text).toBe(200);
    expect((await tryLogin('canbo-bm', pw.second)).status).toBe(200);
    await waitFor(
      'the re-enable at central monitoring',
      async () => (await alerts()).find((a) => a.action === 'identity-account-enabled' && a.target === 'canbo-bm'),
      5000,
      100,
    );
  });

  it('writes every step into the audit log', async () => {
    const audit = await call('GET', `${daemon.consoleUrl}/api/evidence/audit`, undefined, admin);
    const actions = (audit.json.entries as { action: string; target: string; actor: string }[]).map(
      (e) => `${e.actor} ${e.action} ${e.target}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'quantri identity-request-made canbo-bm',
        'lanhdao identity-role-granted canbo-bm',
        'quantri identity-request-refused lanhdao',
        'canbo-bm identity-password-reset lanhdao',
        'device-cli identity-role-granted lanhdao',
      ]),
    );
  });
});
