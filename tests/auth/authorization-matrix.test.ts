import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, projectRoot } from '../../config/load.js';
import { createApp, type App } from '../../kiosk/app.js';
import { UserStore } from '../../kiosk/auth/user-store.js';
import { can, roles, type Capability, type Role } from '../../kiosk/auth/roles.js';
import { createLogger } from '../../kiosk/core/logger.js';
import { RecentLogs } from '../../kiosk/core/recent-logs.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/**
 * Every console route × every role, generated from the daemon's own route table (a real daemon,
 * in this process): a route that is not in `expected` fails the test, so a new route cannot skip
 * its role check. Prints the matrix (✓ reached, 403 refused) for the note.
 */
type Rule = Capability | 'open' | 'login' | { anyOf: Capability[] };

const expected: Record<string, Rule> = {
  'GET /': 'open', // the page and its styles hold no data
  'GET /api/health': 'open',
  'GET /metrics': 'health.read', // or Prometheus's bearer token (tests/web/metrics.test.ts)
  'POST /api/auth/login': 'open',
  'POST /api/auth/logout': 'login',
  'GET /api/auth/me': 'login',
  'GET /api/users': 'users.manage',
  'POST /api/users': 'users.manage',
  // Someone else's password (own password: any login, tested in separation-of-duties.test.ts).
  'PUT /api/users/:username/password': 'users.manage',
  'GET /api/users/requests': { anyOf: ['users.manage', 'identities.read'] },
  'POST /api/users/requests/:id/approve': 'identities.read',
  // The requester or a holder of the identity right, decided by the request (separation-of-duties.test.ts).
  'POST /api/users/requests/:id/refuse': 'login',
  'PUT /api/users/:username/disabled': 'users.manage',
  'GET /api/ptz/presets': 'devices.manage',
  'POST /api/ptz/presets/:name/recall': 'devices.manage',
  'POST /api/ptz/move': 'devices.manage',
  'PUT /api/ptz/presets/:name': 'devices.manage',
  'GET /api/media/preview.jpg': 'recordings.read',
  'GET /api/media/levels': 'recordings.read',
  'GET /api/evidence/recordings': 'recordings.read',
  'GET /api/evidence/recordings/:id': 'recordings.read',
  'GET /api/evidence/recordings/:id/segments/:index/file': 'recordings.read',
  'POST /api/evidence/recordings/:id/verify': 'recordings.read',
  'POST /api/evidence/recordings/:id/export': 'recordings.export',
  'GET /api/evidence/audit': 'audit.read',
  'GET /api/evidence/audit/verify': 'audit.read',
  'GET /api/evidence/disk': 'health.read',
  'GET /api/evidence/public-key': 'health.read',
  'GET /api/evidence/drives': 'recordings.export',
  'GET /api/devices/discovered': 'devices.manage',
  'POST /api/devices/discovered/rescan': 'devices.manage',
  'POST /api/devices/onvif/discover': 'devices.manage',
  'POST /api/devices/onvif/describe': 'devices.manage',
  'POST /api/devices/onvif/choose': 'devices.manage',
  'GET /api/schedule': 'health.read',
  'POST /api/schedule': 'sessions.manage',
  'GET /api/schedule/:id': 'sessions.manage',
  'PUT /api/schedule/:id': 'sessions.manage',
  'DELETE /api/schedule/:id': 'sessions.manage',
  'POST /api/schedule/:id/cases': 'sessions.manage',
  'PUT /api/cases/:caseId': 'sessions.manage',
  'POST /api/cases/:caseId/citizens': 'sessions.manage',
  'PUT /api/citizens/:id/attendance': 'sessions.manage',
  // A complainant's identity is for those who run sessions; a confidential one (a denouncer) also needs
  // identities.read, decided per citizen: tests/session/confidentiality.test.ts.
  'GET /api/citizens/:id/identity': 'sessions.manage',
  'GET /api/sessions/:id/report': 'sessions.manage',
  'GET /api/readiness': 'health.read',
  'GET /api/readiness/:id': 'health.read',
  'POST /api/readiness/run': 'devices.manage',
  // The room's calls for the technician: listed and acknowledged (audited) by who looks after the devices.
  'GET /api/technician-calls': 'devices.manage',
  'POST /api/technician-calls/:id/acknowledge': 'devices.manage',
  'GET /api/update': 'devices.manage',
  'POST /api/update': 'devices.manage',
  // The console's dashboard, log tail and configuration (issue 11).
  'GET /api/system': 'health.read',
  'GET /api/config': { anyOf: ['devices.manage', 'users.manage'] },
  'PUT /api/config': 'users.manage',
  'GET /api/logs/recent': 'devices.manage',
  // A confidential recording also needs identities.read, decided per recording (tests/e2e/console-ui.test.ts).
  'GET /api/evidence/recordings/:id/playback.mp4': 'recordings.read',
  'GET /api/evidence/recordings/:id/export-progress': 'recordings.export',
};

/** Bodies that reach the role check without doing real work (a readiness run would record for 5 s). */
const bodies: Record<string, unknown> = {
  'POST /api/readiness/run': { sessionId: 'no-such-session' },
  'POST /api/devices/onvif/discover': { timeoutMs: 300 },
};

const concrete = (pattern: string) => pattern.replace(':index', '0').replace(/:[A-Za-z]+/g, 'no-such-id');
const allowed = (rule: Rule, role: Role) =>
  rule === 'open' || rule === 'login'
    ? true
    : typeof rule === 'object'
      ? rule.anyOf.some((c) => can(role, c))
      : can(role, rule);
const password = (role: Role) => `mật khẩu của ${role} 123`;
const userOf = (role: Role) => `u-${role}`.replace('officer-confidential', 'officer-c');

describe('console authorization matrix', () => {
  let dir: string;
  let app: App;
  let base: string;
  const cookies = new Map<Role, string>();

  beforeAll(async () => {
    dir = await makeTempDir('authz');
    const raw = JSON.parse(readFileSync(join(projectRoot(), 'config', 'default.json'), 'utf8'));
    raw.storage = { ...raw.storage, dataDir: join(dir, 'data') };
    raw.web = { ...raw.web, kiosk: { port: 0 }, console: { host: '127.0.0.1', port: 0 } };
    app = createApp(parseConfig(raw), createLogger('silent'), new RecentLogs());
    await app.host.startAll();
    base = `http://127.0.0.1:${app.web.addresses().console!.port}`;
    const users = new UserStore(app.store.db);
    for (const role of roles) {
      await users.create({ username: userOf(role), role, password: password(role) });
      const response = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: userOf(role), password: password(role) }),
      });
      expect(response.status, role).toBe(200);
      cookies.set(role, response.headers.get('set-cookie')!.split(';')[0]!);
    }
  }, 60_000);

  afterAll(async () => {
    await app?.host.stopAll(20_000);
    await removeTempDir(dir);
  });

  it('has a rule for every console route, and every route answers each role as its rule says', async () => {
    const routes = app.web.routes().console.map((r) => `${r.method} ${r.path}`);
    const missing = routes.filter((route) => !(route in expected));
    expect(missing, 'console routes without a rule in the authorization matrix').toEqual([]);
    expect(
      Object.keys(expected).filter((route) => !routes.includes(route)),
      'rules for routes that no longer exist',
    ).toEqual([]);

    // Logging out ends the role's login: last.
    const ordered = [...routes].sort(
      (a, b) => Number(a === 'POST /api/auth/logout') - Number(b === 'POST /api/auth/logout'),
    );
    const columns = ['anonymous', ...roles] as const;
    const table: Record<string, Record<string, string>> = {};
    const wrong: string[] = [];
    for (const route of ordered) {
      const [method, pattern] = route.split(' ') as [string, string];
      const path = concrete(pattern);
      const rule = expected[route]!;
      table[route] = {};
      for (const who of columns) {
        const headers: Record<string, string> = who === 'anonymous' ? {} : { cookie: cookies.get(who)! };
        if (method !== 'GET') headers['content-type'] = 'application/json';
        const response = await fetch(`${base}${path}`, {
          method,
          headers,
          ...(method === 'GET' ? {} : { body: JSON.stringify(bodies[route] ?? {}) }),
        });
        await response.arrayBuffer();
        const { status } = response;
        table[route]![who] = status === 401 || status === 403 ? String(status) : '✓';
        // Reached means past the login and the role check: neither 401 nor 403 (a 400 or 404 for the dummy ids is fine).
        const reached = status !== 401 && status !== 403;
        const should = who === 'anonymous' ? rule === 'open' : allowed(rule, who);
        if (reached !== should || (who === 'anonymous' && !should && status !== 401))
          wrong.push(`${route} as ${who}: ${status}`);
      }
    }
    console.log(
      [
        `| route | ${columns.join(' | ')} |`,
        `|---|${columns.map(() => '---').join('|')}|`,
        ...Object.entries(table).map(([route, cells]) => `| ${route} | ${columns.map((r) => cells[r]).join(' | ')} |`),
      ].join('\n'),
    );
    expect(wrong).toEqual([]);
  }, 120_000);

  it('refuses every state-changing route of both servers from a foreign or null Origin, before anything else', async () => {
    const servers = { kiosk: `http://127.0.0.1:${app.web.addresses().kiosk!.port}`, console: base };
    const refusedRoutes: string[] = [];
    const passed: string[] = [];
    for (const [server, routes] of Object.entries(app.web.routes())) {
      for (const { method, path } of routes.filter((r) => r.method !== 'GET')) {
        for (const origin of ['http://evil.example', 'null']) {
          const response = await fetch(`${servers[server as 'kiosk' | 'console']}${concrete(path)}`, {
            method,
            headers: {
              'content-type': 'application/json',
              origin,
              ...(server === 'console' ? { cookie: cookies.get('admin')! } : {}),
            },
            body: JSON.stringify(bodies[`${method} ${path}`] ?? {}),
          });
          await response.arrayBuffer();
          (response.status === 403 ? refusedRoutes : passed).push(
            `${server} ${method} ${path} (Origin ${origin}): ${response.status}`,
          );
        }
      }
    }
    console.log(`foreign/null Origin refused on ${refusedRoutes.length} state-changing route checks of both servers`);
    expect(passed).toEqual([]);
    expect(refusedRoutes.length).toBeGreaterThan(20);
  }, 60_000);
});
