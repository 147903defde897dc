import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** The daemon's TypeScript (the browser UIs have their own conventions). */
async function daemonSources(): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(join(root, 'kiosk'), { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((path) => !path.startsWith('kiosk/ui/'));
  return Promise.all(files.map(async (path) => ({ path, text: await readFile(join(root, path), 'utf8') })));
}

/** One error → HTTP convention and one router style (kiosk/core/domain-error.ts). */
describe('error and router conventions', () => {
  it('builds express routers only in routes.ts files (and the web server its own)', async () => {
    const allowed = new Set([
      'kiosk/web/web-service.ts',
      'kiosk/web/static-ui.ts',
      // Its routers move to kiosk/room/routes.ts once the call store is persistent (issue 15).
      'kiosk/room/technician-call-service.ts',
    ]);
    const offenders = (await daemonSources())
      .filter(({ path, text }) => /\bRouter\(\)/.test(text) && !path.endsWith('/routes.ts') && !allowed.has(path))
      .map(({ path }) => path);
    expect(offenders).toEqual([]);
  });

  it('answers errors only through the one mapping: no status chosen for an error outside core/http.ts', async () => {
    // A playback whose ffmpeg fails has already started its answer: it can only end it there.
    const allowed = new Set(['kiosk/core/http.ts', 'kiosk/evidence/routes.ts']);
    const offenders = (await daemonSources())
      .filter(({ path, text }) => /\.status\([45]\d\d\)/.test(text) && !allowed.has(path))
      .map(({ path }) => path);
    expect(offenders).toEqual([]);
  });

  it('keeps HTTP statuses out of the error classes', async () => {
    const offenders = (await daemonSources())
      .filter(({ text }) => /class \w+Error extends[^{]*\{[^}]*\bstatus\b/.test(text) || /HttpError/.test(text))
      .map(({ path }) => path);
    expect(offenders).toEqual([]);
  });
});
