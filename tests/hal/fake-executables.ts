import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolRunner, type ToolRunner } from '../../hal/core/tool-runner.js';

/**
 * A temp folder of fake hardware CLIs (ddcutil, cec-ctl, amixer, pactl, v4l2-ctl…), put in front
 * of PATH for the drivers under test. They stand in where the real tool cannot reach hardware on
 * this machine; each logs its argument list and answers from a bash script given by the test.
 */
export class FakeExecutables {
  private constructor(readonly dir: string) {}

  static async create(): Promise<FakeExecutables> {
    return new FakeExecutables(await mkdtemp(join(tmpdir(), 'diemcau-fake-bin-')));
  }

  /** `body` is bash; `$FAKE` is this folder (for state files), `$@` the arguments. */
  async add(tool: string, body: string): Promise<void> {
    const path = join(this.dir, tool);
    const script = `#!/bin/bash\nFAKE=${JSON.stringify(this.dir)}\nprintf '%s\\n' "$*" >> "$FAKE/${tool}.calls"\n${body}\n`;
    await writeFile(path, script);
    await chmod(path, 0o755);
  }

  async setState(name: string, value: string): Promise<void> {
    await writeFile(join(this.dir, name), value);
  }

  async state(name: string): Promise<string> {
    return (await readFile(join(this.dir, name), 'utf8')).trim();
  }

  async calls(tool: string): Promise<string[]> {
    try {
      return (await readFile(join(this.dir, `${tool}.calls`), 'utf8')).split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  runner(): ToolRunner {
    return toolRunner({ pathPrefix: [this.dir], defaultTimeoutMs: 10_000 });
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
