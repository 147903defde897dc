import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { dataModeTargets, fileModes, makeDir, tightenModes } from '../../kiosk/core/file-modes.js';
import { generateDeviceKey } from '../../kiosk/evidence/device-key.js';
import { EvidenceStore } from '../../kiosk/evidence/evidence-store.js';
import { makeReadOnly } from '../../kiosk/recording/folders.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { addConsoleUser, call, login, sessionBody } from '../session/helpers.js';
import { makeSealedFolder, silentLogger, tempDirs } from '../evidence/fixtures.js';
import { migrations } from '../../kiosk/database-schema.js';
import { waitFor } from '../support/wait.js';

/**
 * File modes (README "Files and modes"): whatever the umask the daemon is started under (`npm
 * start` runs with 022), nothing it keeps is readable by others; a data directory an older
 * version left looser is tightened at start.
 */

const mode = async (path: string) => (await lstat(path)).mode & 0o777;
const octal = (value: number) => value.toString(8).padStart(4, '0');

/** Runs `body` with the process umask set to `mask` (children spawned meanwhile inherit it). */
async function underUmask<T>(mask: number, body: () => Promise<T>): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await body();
  } finally {
    process.umask(previous);
  }
}

/** Every folder and file under `root` (the root itself as `.`), with its mode. */
async function walk(root: string): Promise<Map<string, { mode: number; dir: boolean }>> {
  const found = new Map<string, { mode: number; dir: boolean }>();
  const visit = async (path: string): Promise<void> => {
    const stats = await lstat(path);
    found.set(relative(root, path) || '.', { mode: stats.mode & 0o777, dir: stats.isDirectory() });
    if (stats.isDirectory()) for (const name of (await readdir(path)).sort()) await visit(join(path, name));
  };
  await visit(root);
  return found;
}

function printTable(title: string, found: Map<string, { mode: number; dir: boolean }>): void {
  const width = Math.max(...[...found.keys()].map((path) => path.length)) + 2;
  console.log(
    [
      `${title}:`,
      ...[...found].map(([path, entry]) => `  ${(entry.dir ? `${path}/` : path).padEnd(width)} ${octal(entry.mode)}`),
    ].join('\n'),
  );
}

/** `Umask:` of a running process, from /proc. */
async function umaskOf(pid: number): Promise<number> {
  const line = (await readFile(`/proc/${pid}/status`, 'utf8')).split('\n').find((l) => l.startsWith('Umask:'));
  return Number.parseInt(line!.split(/\s+/)[1]!, 8);
}

describe('file-mode helpers', () => {
  const temp = tempDirs();
  afterEach(() => temp.cleanup());

  it.each([0o000, 0o022, 0o077])(
    'makeDir gives every folder it creates exactly its mode under umask %o, and leaves an existing one as it is',
    async (mask) => {
      const root = await temp.make();
      await underUmask(mask, async () => {
        await makeDir(join(root, 'a', 'b'), 0o750);
        expect(await mode(join(root, 'a'))).toBe(0o750);
        expect(await mode(join(root, 'a', 'b'))).toBe(0o750);
        await mkdir(join(root, 'mine'), { mode: 0o700 });
        await chmod(join(root, 'mine'), 0o700);
        await makeDir(join(root, 'mine'), 0o750);
        expect(await mode(join(root, 'mine'))).toBe(0o700);
      });
    },
  );

  it('tightenModes removes bits beyond the maximum, never adds one, skips absent paths and symbolic links', async () => {
    const root = await temp.make();
    const tree = join(root, 'tree');
    await mkdir(join(tree, 'sub'), { recursive: true });
    await writeFile(join(tree, 'open.txt'), 'x');
    await writeFile(join(tree, 'sub', 'tight.txt'), 'x');
    await writeFile(join(root, 'outside.txt'), 'x');
    await symlink(join(root, 'outside.txt'), join(tree, 'link'));
    await chmod(join(root, 'outside.txt'), 0o666);
    await chmod(join(tree, 'open.txt'), 0o666);
    await chmod(join(tree, 'sub', 'tight.txt'), 0o400);
    await chmod(join(tree, 'sub'), 0o777);
    await chmod(tree, 0o755);
    const { changed, failed } = await tightenModes([
      { path: tree, max: 0o750, within: { dirs: 0o750, files: 0o640 } },
      { path: join(root, 'absent'), max: 0o600 },
    ]);
    expect(failed).toEqual([]);
    expect(changed.map((c) => [relative(root, c.path), octal(c.from), octal(c.to)])).toEqual([
      ['tree', '0755', '0750'],
      ['tree/open.txt', '0666', '0640'],
      ['tree/sub', '0777', '0750'],
    ]);
    expect(await mode(join(tree, 'sub', 'tight.txt'))).toBe(0o400);
    expect(await mode(join(root, 'outside.txt')), 'a link is not followed').toBe(0o666);
  });

  it('the scheme on an older layout: database files 0600, keys 0700/0600, sealed recordings 0444/0555 become 0440/0550', async () => {
    const dataDir = await temp.make();
    const files: Record<string, number> = {
      'diemcau.sqlite': 0o644,
      'diemcau.sqlite-wal': 0o644,
      'diemcau.sqlite-shm': 0o644,
      'diemcau.sqlite.reserve': 0o644,
      'diemcau.sqlite.v2.bak': 0o644,
      'keys/device-ed25519.pem': 0o644,
      'keys/identity.key': 0o640,
      'recordings/s-1/s-1-00000.mkv': 0o444,
      'recordings/s-1/manifest.json': 0o444,
      'recordings/s-2/s-2-00000.mkv': 0o644,
    };
    for (const [path, fileMode] of Object.entries(files)) {
      await mkdir(join(dataDir, path, '..'), { recursive: true });
      await writeFile(join(dataDir, path), 'x');
      await chmod(join(dataDir, path), fileMode);
    }
    await chmod(join(dataDir, 'recordings', 's-1'), 0o555);
    for (const dir of ['keys', 'recordings', 'recordings/s-2', '.']) await chmod(join(dataDir, dir), 0o755);
    const targets = await dataModeTargets({
      dataDir,
      database: join(dataDir, 'diemcau.sqlite'),
      recordingsDir: join(dataDir, 'recordings'),
      keysDir: join(dataDir, 'keys'),
    });
    const { failed } = await tightenModes(targets);
    expect(failed).toEqual([]);
    const found = await walk(dataDir);
    expect(Object.fromEntries([...found].map(([path, entry]) => [path, octal(entry.mode)]))).toEqual({
      '.': '0750',
      'diemcau.sqlite': '0600',
      'diemcau.sqlite-wal': '0600',
      'diemcau.sqlite-shm': '0600',
      'diemcau.sqlite.reserve': '0600',
      'diemcau.sqlite.v2.bak': '0600',
      keys: '0700',
      'keys/device-ed25519.pem': '0600',
      'keys/identity.key': '0600',
      recordings: '0750',
      'recordings/s-1': '0550',
      'recordings/s-1/manifest.json': '0440',
      'recordings/s-1/s-1-00000.mkv': '0440',
      'recordings/s-2': '0750',
      'recordings/s-2/s-2-00000.mkv': '0640',
    });
  });

  it('openStore under umask 022 creates the database 0600 in a 0750 folder, and SQLite gives its -wal and -shm the same', async () => {
    const dataDir = join(await temp.make(), 'data');
    const db = await underUmask(0o022, async () => (await openStore(join(dataDir, 'diemcau.sqlite'), migrations)).db);
    try {
      await db.run('INSERT INTO daemon_runs (started_at, version) VALUES (?, ?)', [new Date().toISOString(), 'test']);
      expect(await mode(dataDir)).toBe(fileModes.dataDir);
      for (const name of ['diemcau.sqlite', 'diemcau.sqlite-wal', 'diemcau.sqlite-shm'])
        expect(octal(await mode(join(dataDir, name))), name).toBe('0600');
    } finally {
      await db.close();
    }
  });

  it('a sealed, read-only recording (0440 files in a 0550 folder) is still deleted by retention', async () => {
    const dir = await temp.make();
    const { db } = await openStore(join(dir, 'diemcau.sqlite'), migrations);
    try {
      const recordingsDir = join(dir, 'recordings');
      const key = generateDeviceKey();
      const store = new EvidenceStore({
        db,
        recordingsDir,
        key,
        device: { id: 'dev-1', room: 'sim-room' },
        logger: silentLogger,
      });
      await makeSealedFolder(join(recordingsDir, 'rec-1'), key);
      await store.catalog.openRecording('rec-1', {
        sessionId: 'session-1',
        dir: 'rec-1',
        confidential: false,
        startedAt: '2026-01-02T03:00:00+07:00',
      });
      await makeReadOnly(join(recordingsDir, 'rec-1'));
      expect(await mode(join(recordingsDir, 'rec-1'))).toBe(fileModes.sealedDir);
      for (const name of await readdir(join(recordingsDir, 'rec-1')))
        expect(await mode(join(recordingsDir, 'rec-1', name)), name).toBe(fileModes.sealedFile);
      await store.catalog.recordExport({
        recordingId: 'rec-1',
        target: '/media/usb/rec-1',
        encrypted: false,
        verified: true,
        bytes: 1,
        actor: 'tech-1',
        startedAt: '2026-01-03T00:00:00Z',
        finishedAt: '2026-01-03T00:01:00Z',
      });
      await store.delete('rec-1', { id: 'retention', role: 'system' }, 'kept 180 days');
      expect(existsSync(join(recordingsDir, 'rec-1'))).toBe(false);
    } finally {
      await db.close();
    }
  });
});

describe('the daemon under umask 022', () => {
  const password = 'mat-khau-thu-nghiem';
  let dir: string | undefined;
  const daemons: DaemonHandle[] = [];
  let previousUmask: number;

  beforeAll(() => {
    expect(existsSync(join(projectRoot(), 'dist', 'kiosk', 'cli.js')), 'build first: npm run build').toBe(true);
    // What `npm start` runs under; the CLI and the daemon spawned below inherit it.
    previousUmask = process.umask(0o022);
  });

  afterAll(() => {
    process.umask(previousUmask);
  });

  afterEach(async () => {
    for (const daemon of daemons.splice(0)) await daemon.stop('SIGKILL');
    await removeTempDir(dir);
    dir = undefined;
  });

  async function openRoom(name: string): Promise<{ dataDir: string; configPath: string }> {
    dir = await makeTempDir(name);
    const configPath = writeTestConfig(dir, (config) => {
      config.media.recording = { ...config.media.recording, segmentSeconds: 10 };
    });
    await addConsoleUser(configPath, 'canbo', 'officer', password);
    return { dataDir: join(dir, 'data'), configPath };
  }

  async function start(configPath: string): Promise<DaemonHandle> {
    expect(process.umask(), 'the daemon is spawned under umask 022').toBe(0o022);
    const daemon = await startDaemon(configPath, { readyTimeoutMs: 40_000 });
    daemons.push(daemon);
    return daemon;
  }

  /** Walks the data dir and checks every entry against the scheme; returns what it found. */
  async function checkScheme(dataDir: string, sealed: string[]): Promise<Map<string, { mode: number; dir: boolean }>> {
    const found = await walk(dataDir);
    for (const [path, entry] of found)
      expect(entry.mode & 0o007, `${path} (${octal(entry.mode)}) is open to others`).toBe(0);
    expect(found.get('.')?.mode).toBe(fileModes.dataDir);
    for (const [path, entry] of found) {
      if (/^diemcau\.sqlite/.test(path)) expect(octal(entry.mode), path).toBe(octal(fileModes.privateFile));
      if (path === 'keys') expect(octal(entry.mode), path).toBe(octal(fileModes.privateDir));
      if (path.startsWith('keys/')) expect(octal(entry.mode), path).toBe(octal(fileModes.privateFile));
    }
    for (const name of ['diemcau.sqlite', 'keys', 'keys/device-ed25519.pem', 'keys/identity.key', 'recordings'])
      expect(found.has(name), name).toBe(true);
    for (const id of sealed) {
      expect(octal(found.get(`recordings/${id}`)!.mode), id).toBe(octal(fileModes.sealedDir));
      const files = [...found].filter(([path]) => path.startsWith(`recordings/${id}/`));
      expect(files.length, `${id} has files`).toBeGreaterThan(2);
      for (const [path, entry] of files) expect(octal(entry.mode), path).toBe(octal(fileModes.sealedFile));
    }
    return found;
  }

  it('records a plain and a confidential session; nothing in the data directory is open to others, keys and database 0600, sealed recordings 0440/0550', async () => {
    const { dataDir, configPath } = await openRoom('modes-sessions');
    const daemon = await start(configPath);
    expect(octal(await umaskOf(daemon.child.pid!)), 'the daemon sets its own umask').toBe(octal(fileModes.umask));
    const officer = await login(daemon.consoleUrl, 'canbo', password);

    const recorded: string[] = [];
    for (const confidential of [false, true]) {
      const created = await call('POST', `${daemon.consoleUrl}/api/schedule`, sessionBody(), officer);
      expect(created.status, created.text).toBe(201);
      const sessionId: string = created.json.session.id;
      if (confidential) {
        const tc = await call(
          'POST',
          `${daemon.consoleUrl}/api/schedule/${sessionId}/cases`,
          { type: 'TC', summary: 'Tố cáo cán bộ địa chính', flags: { complex: true } },
          officer,
        );
        expect(tc.status, tc.text).toBe(201);
      }
      const started = await call('POST', `${daemon.kioskUrl}/api/session/${sessionId}/start`);
      expect(started.status, started.text).toBe(200);
      const recordingId: string = started.json.session.recordingId;
      const worker = await waitFor(
        'the media worker',
        async () => (await call('GET', `${daemon.kioskUrl}/api/health`)).json.media?.pid as number | undefined,
        10_000,
        100,
      );
      // GStreamer writes the segments with the worker's umask, inherited from the daemon.
      expect(octal(await umaskOf(worker)), 'the media worker inherits the umask').toBe(octal(fileModes.umask));
      await waitFor(
        `a segment of ${recordingId}`,
        async () =>
          (await readdir(join(dataDir, 'recordings', recordingId)).catch(() => [])).some((n) => n.endsWith('.mkv'))
            ? true
            : undefined,
        15_000,
        100,
      );
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const segment = (await readdir(join(dataDir, 'recordings', recordingId))).find((n) => n.endsWith('.mkv'))!;
      expect(octal(await mode(join(dataDir, 'recordings', recordingId, segment))), 'a segment while recording').toBe(
        octal(fileModes.recordingFile),
      );
      expect(octal(await mode(join(dataDir, 'recordings', recordingId))), 'a folder while recording').toBe(
        octal(fileModes.recordingDir),
      );
      const ended = await call('POST', `${daemon.kioskUrl}/api/session/${sessionId}/end`, { reason: 'hết giờ' });
      expect(ended.status, ended.text).toBe(200);
      expect(ended.json.session.state).toBe('closed');
      recorded.push(recordingId);
    }

    // While the daemon runs, so the -wal and -shm are there too.
    const found = await checkScheme(dataDir, recorded);
    printTable(`data directory after a plain and a confidential session (daemon started under umask 022)`, found);
    expect(
      daemon.logs.some((entry) => String(entry.msg).startsWith('file modes tightened')),
      'a fresh data directory needs no tightening',
    ).toBe(false);
    expect(await daemon.stop()).toBe(0);
  }, 120_000);

  it('tightens, at start, a data directory an older version left 0755 with a 0644 database, and says so', async () => {
    const { dataDir, configPath } = await openRoom('modes-legacy');
    expect(await (await start(configPath)).stop()).toBe(0);
    // What an older version under umask 022 left behind.
    const loosened: Record<string, number> = {
      '.': 0o755,
      'diemcau.sqlite': 0o644,
      keys: 0o755,
      'keys/device-ed25519.pem': 0o644,
      'keys/identity.key': 0o644,
      recordings: 0o755,
    };
    await writeFile(join(dataDir, 'diemcau.sqlite.v1.bak'), 'a copy taken before a migration');
    loosened['diemcau.sqlite.v1.bak'] = 0o644;
    for (const name of await readdir(dataDir)) if (/^diemcau\.sqlite[-.]/.test(name)) loosened[name] = 0o644;
    for (const [path, loose] of Object.entries(loosened)) await chmod(join(dataDir, path), loose);
    printTable('left by an older version', await walk(dataDir));

    const daemon = await start(configPath);
    const line = daemon.logs.find((entry) => String(entry.msg).startsWith('file modes tightened')) as
      | { changes: string[]; count: number }
      | undefined;
    expect(line, 'a log line says what was tightened').toBeDefined();
    console.log(`log line: ${JSON.stringify(line)}`);
    expect(line!.count).toBe(Object.keys(loosened).length);
    for (const path of Object.keys(loosened))
      expect(
        line!.changes.some((change) =>
          change.startsWith(`${join(dataDir, path === '.' ? '' : path).replace(/\/$/, '')} 0`),
        ),
        path,
      ).toBe(true);
    const found = await checkScheme(dataDir, []);
    printTable('after the next start', found);
    expect((await stat(join(dataDir, 'diemcau.sqlite.v1.bak'))).mode & 0o777).toBe(fileModes.privateFile);
    expect(await daemon.stop()).toBe(0);
  }, 120_000);
});
