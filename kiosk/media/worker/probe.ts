import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { encoderElements } from '../pipelines/encoder.js';

const run = promisify(execFile);

/** Which encoder elements this machine has, asked of gst-inspect-1.0 (no pipeline is created). */
export async function probeEncoders(): Promise<Set<string>> {
  const present = await Promise.all(
    Object.values(encoderElements).map(async (element) => {
      try {
        await run('gst-inspect-1.0', ['--exists', element], { timeout: 10_000 });
        return element;
      } catch {
        return undefined;
      }
    }),
  );
  return new Set(present.filter((e): e is string => e !== undefined));
}
