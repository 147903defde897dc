import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Biome's CI mode over the whole tree (biome.jsonc): formatting and lint, read-only. `npm run format` fixes layout. */
describe('code style', () => {
  it('is formatted and passes lint', async () => {
    const outcome = await run(
      'node_modules/.bin/biome',
      ['ci', '--error-on-warnings', '--colors=off', '--max-diagnostics=50', '.'],
      {
        maxBuffer: 16 << 20,
      },
    ).then(
      ({ stdout, stderr }) => ({ code: 0, text: `${stdout}${stderr}` }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        text: `${error.stdout ?? ''}${error.stderr ?? ''}`,
      }),
    );
    expect(outcome.text, 'biome ci reported problems').not.toMatch(/Found \d+ (errors?|warnings?)/);
    expect(outcome.code, outcome.text).toBe(0);
    // The check saw the tree (a wrong path would pass with nothing checked).
    const checked = Number(/Checked (\d+) files?/.exec(outcome.text)?.[1] ?? 0);
    expect(checked).toBeGreaterThan(500);
  }, 120_000);
});
