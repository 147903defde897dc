import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

/** The layering rules of .dependency-cruiser.cjs, over the product code and the scripts. */
describe('architecture', () => {
  it('has no import cycle between modules or between folders', async () => {
    const { stdout } = await run(
      'node_modules/.bin/depcruise',
      ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', 'kiosk', 'hal', 'config', 'scripts', 'firmware'],
      { maxBuffer: 64 << 20 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const summary = (JSON.parse(stdout) as { summary: { violations: Violation[]; totalCruised: number } }).summary;
    const described = summary.violations.map(
      (v) => `${v.rule.name}: ${[v.from, ...(v.cycle ?? [{ name: v.to }]).map((c) => c.name)].join(' → ')}`,
    );
    expect(described).toEqual([]);
    // The check saw the code (a wrong path would pass with nothing cruised).
    expect(summary.totalCruised).toBeGreaterThan(300);
  }, 120_000);
});
