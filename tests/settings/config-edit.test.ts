import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig, projectRoot } from '../../config/load.js';
import { applyChanges, ChangeError, leaves, pendingRestart } from '../../kiosk/settings/changes.js';
import { ConfigFile } from '../../kiosk/settings/config-file.js';
import { tempDirs } from '../evidence/fixtures.js';

describe('config edits (kiosk/settings)', () => {
  const dirs = tempDirs();
  afterAll(() => dirs.cleanup());

  it.each([
    [{ a: { b: 1 } }, [{ path: 'a.b', value: 2 }], { a: { b: 2 } }],
    [
      {},
      [{ path: 'session.startWindow.beforeMinutes', value: 45 }],
      { session: { startWindow: { beforeMinutes: 45 } } },
    ],
    [
      { a: 1 },
      [
        { path: 'b', value: [1, 2] },
        { path: 'a', value: 'x' },
      ],
      { a: 'x', b: [1, 2] },
    ],
  ])('applies changes to the file JSON (%j)', (file, changes, expected) => {
    expect(applyChanges(file, changes)).toEqual(expected);
    expect(file).not.toEqual(expected);
  });

  it.each(['a..b', '__proto__.x', 'a.constructor', 'a.b.c'])('refuses the path %s', (path) => {
    expect(() => applyChanges({ a: { b: 1 } }, [{ path, value: 1 }])).toThrow(ChangeError);
  });

  it('lists leaves and the fields that differ from what runs', () => {
    expect([...leaves({ a: { b: 1, c: [1] }, d: 'x' })]).toEqual([
      ['a.b', 1],
      ['a.c', [1]],
      ['d', 'x'],
    ]);
    expect(pendingRestart({ a: { b: 1 }, c: 2 }, { a: { b: 3 }, c: 2, d: true })).toEqual(['a.b', 'd']);
  });

  it('writes a change the schema accepts (keeping the old file), and reports every problem of one it refuses', async () => {
    const dir = await dirs.make();
    const path = join(dir, 'config.json');
    const original = await readFile(join(projectRoot(), 'config', 'default.json'), 'utf8');
    await writeFile(path, original);
    const file = new ConfigFile(parseConfig(JSON.parse(original)), path);
    const refused = await file.save([
      { path: 'media.audioBitrateKbps', value: 5 },
      { path: 'log.level', value: 'loud' },
      { path: 'room.name', value: 42 },
    ]);
    expect(refused.ok).toBe(false);
    const issues = refused.ok ? [] : refused.issues;
    expect(issues).toHaveLength(3);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'room.name', code: 'invalid_type', expected: 'string' },
        { path: 'media.audioBitrateKbps', code: 'too_small', minimum: 32 },
        { path: 'log.level', code: 'invalid_value', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] },
      ]),
    );
    expect(await readFile(path, 'utf8')).toBe(original);
    const saved = await file.save([{ path: 'media.audioBitrateKbps', value: 192 }]);
    expect(saved).toEqual({ ok: true, pendingRestart: ['media.audioBitrateKbps'] });
    expect(JSON.parse(await readFile(path, 'utf8')).media.audioBitrateKbps).toBe(192);
    expect(await readFile(`${path}.bak`, 'utf8')).toBe(original);
    expect((await file.effective()).pendingRestart).toEqual(['media.audioBitrateKbps']);
  });

  it('has nothing to edit on the embedded defaults', async () => {
    const running = parseConfig(JSON.parse(await readFile(join(projectRoot(), 'config', 'default.json'), 'utf8')));
    const file = new ConfigFile(running, undefined);
    expect(file.editable).toBe(false);
    await expect(file.save([{ path: 'log.level', value: 'warn' }])).rejects.toThrow('no config file');
    expect(await file.effective()).toEqual({ config: running, pendingRestart: [] });
  });
});
