import type { ChildProcess } from 'node:child_process';
import { spawnTied } from '../../core/tied-spawn.js';
import { access, chmod, mkdir, mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real NUT server on this machine: `upsd` + `dummy-ups` from Debian's nut-server, run
 * unprivileged-config in a temp dir (NUT_CONFPATH / NUT_STATEPATH) and listening on 127.0.0.1 only.
 * Sim mode's UPS (`nut-emulated`) talks to it with the real NUT driver; tests and benches drive it
 * by rewriting the dummy file (OL → OB → OB LB).
 *
 * dummy-ups in NUT 2.8 defaults `*.dev` files to "dummy-once": it re-reads the file only when its
 * modification time changes. `setVariables` therefore writes a new file, renames it into place and
 * gives it a strictly increasing mtime (whole seconds apart), so two edits within one second are
 * never mistaken for one.
 *
 * When the tests run as root (containers, CI), upsd and the driver need `-u root`: they otherwise
 * drop to the `nut` user, which cannot read the 0700 temp dir.
 */

const upsdPath = '/lib/nut/upsd';
const dummyUpsPath = '/lib/nut/dummy-ups';

export interface NutUser {
  name: string;
  password: string;
}

export interface NutHarnessOptions {
  upsName?: string;
  /** Initial dummy variables, `name → value` (as in an `upsc` dump). */
  variables?: Record<string, string>;
  users?: NutUser[];
  /** dummy-ups poll interval, whole seconds (NUT's minimum is 1). */
  pollIntervalSeconds?: number;
  /** Extra lines for upsd.conf (e.g. CERTPATH for STARTTLS). */
  upsdConfLines?: string[];
  /** Bound on every wait inside the harness. */
  timeoutMs?: number;
}

export const defaultUpsVariables: Record<string, string> = {
  'ups.status': 'OL',
  'battery.charge': '100',
  'battery.runtime': '1800',
  'ups.load': '20',
  'input.voltage': '230.0',
};

export class NutHarness {
  readonly dir: string;
  readonly upsName: string;
  readonly devPath: string;
  readonly port: number;
  readonly #timeoutMs: number;
  readonly #env: NodeJS.ProcessEnv;
  #upsd: ChildProcess | undefined;
  #driver: ChildProcess | undefined;
  #variables: Record<string, string>;
  #mtimeSeconds = Math.floor(Date.now() / 1000);
  #output = '';

  private constructor(
    dir: string,
    port: number,
    upsName: string,
    variables: Record<string, string>,
    timeoutMs: number,
  ) {
    this.dir = dir;
    this.port = port;
    this.upsName = upsName;
    this.devPath = join(dir, `${upsName}.dev`);
    this.#variables = { ...variables };
    this.#timeoutMs = timeoutMs;
    this.#env = { ...process.env, NUT_CONFPATH: dir, NUT_STATEPATH: join(dir, 'state') };
  }

  /** Writes the config, starts dummy-ups then upsd, and waits until upsd serves `ups.status`. */
  static async start(options: NutHarnessOptions = {}): Promise<NutHarness> {
    const dir = await mkdtemp(join(tmpdir(), 'diemcau-nut-'));
    const upsName = options.upsName ?? 'dummy';
    const timeoutMs = options.timeoutMs ?? 20_000;
    let lastError: unknown;
    // The free port is found by binding port 0 and releasing it: another process may grab it in
    // between on a busy machine, so a failed start is retried with a new port.
    for (let attempt = 0; attempt < 3; attempt++) {
      const harness = new NutHarness(
        dir,
        await freePort(),
        upsName,
        options.variables ?? defaultUpsVariables,
        timeoutMs,
      );
      try {
        await harness.#writeConfig(options);
        await harness.startDriver();
        await harness.startUpsd();
        return harness;
      } catch (error) {
        lastError = error;
        await harness.#stopProcesses();
      }
    }
    await rm(dir, { recursive: true, force: true });
    throw lastError;
  }

  get address(): string {
    return `${this.upsName}@127.0.0.1:${this.port}`;
  }

  /** Merges `changes` into the dummy file and returns the time (ms, performance clock) the file was in place. */
  async setVariables(changes: Record<string, string>): Promise<number> {
    this.#variables = { ...this.#variables, ...changes };
    await this.#writeDevFile();
    return performance.now();
  }

  /** Polls upsd over a raw socket until `variable` equals `value`; throws after the harness timeout. */
  async waitForValue(variable: string, value: string): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = await this.query(`GET VAR ${this.upsName} ${variable}`).catch((error: Error) => error.message);
      if (last === `VAR ${this.upsName} ${variable} "${value}"`) return;
      await delay(100);
    }
    throw new Error(
      `upsd did not report ${variable}="${value}" within ${this.#timeoutMs} ms (last: ${last})\n${this.#output}`,
    );
  }

  /** Sends one request line on a fresh connection and returns the first reply line. */
  query(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: this.port });
      let text = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('upsd query timed out'));
      }, 5000);
      socket.setEncoding('utf8');
      socket.on('connect', () => socket.write(`${line}\n`));
      socket.on('data', (chunk: string) => {
        text += chunk;
        const end = text.indexOf('\n');
        if (end < 0) return;
        clearTimeout(timer);
        socket.end('LOGOUT\n');
        resolve(text.slice(0, end));
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  async startDriver(): Promise<void> {
    if (this.#driver) return;
    this.#driver = this.#spawn(dummyUpsPath, ['-a', this.upsName, '-F', ...asRoot()]);
    // Without upsd, "ready" means the driver's socket exists; with upsd, that upsd serves its data again.
    await this.#waitUntil(
      async () => {
        if (this.#upsd === undefined) return exists(join(this.dir, 'state', `dummy-ups-${this.upsName}`));
        return this.#servesData();
      },
      'dummy-ups to serve data',
      () => this.#driver,
    );
  }

  async stopDriver(): Promise<void> {
    await stopChild(this.#driver);
    this.#driver = undefined;
  }

  async startUpsd(): Promise<void> {
    if (this.#upsd) return;
    this.#upsd = this.#spawn(upsdPath, ['-F', ...asRoot()]);
    await this.#waitUntil(
      () => this.#servesData(),
      'upsd to serve the UPS',
      () => this.#upsd,
    );
  }

  /** Freezes dummy-ups (SIGSTOP): upsd keeps its socket but gets no data, and reports DATA-STALE after MAXAGE. */
  pauseDriver(): void {
    this.#driver?.kill('SIGSTOP');
  }

  resumeDriver(): void {
    this.#driver?.kill('SIGCONT');
  }

  /** Kills upsd the hard way (as a crash would); clients see their socket close. */
  async killUpsd(): Promise<void> {
    await stopChild(this.#upsd, 'SIGKILL');
    this.#upsd = undefined;
  }

  async stop(): Promise<void> {
    await this.#stopProcesses();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Everything upsd and dummy-ups printed: quoted in failures. */
  get output(): string {
    return this.#output;
  }

  async #stopProcesses(): Promise<void> {
    this.resumeDriver();
    await Promise.all([stopChild(this.#upsd), stopChild(this.#driver)]);
    this.#upsd = undefined;
    this.#driver = undefined;
  }

  async #writeConfig(options: NutHarnessOptions): Promise<void> {
    await mkdir(join(this.dir, 'state'), { recursive: true, mode: 0o700 });
    await writeFile(join(this.dir, 'nut.conf'), 'MODE=standalone\n');
    await writeFile(
      join(this.dir, 'ups.conf'),
      [
        `[${this.upsName}]`,
        '  driver = dummy-ups',
        `  port = ${this.devPath}`,
        `  pollinterval = ${options.pollIntervalSeconds ?? 1}`,
        '  desc = "test UPS"',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(this.dir, 'upsd.conf'),
      [`LISTEN 127.0.0.1 ${this.port}`, ...(options.upsdConfLines ?? []), ''].join('\n'),
      { mode: 0o600 },
    );
    const users = (options.users ?? []).flatMap((user) => [
      `[${user.name}]`,
      `  password = ${nutConfQuote(user.password)}`,
      '  upsmon secondary',
      '',
    ]);
    await writeFile(join(this.dir, 'upsd.users'), users.join('\n'), { mode: 0o600 });
    await chmod(join(this.dir, 'upsd.users'), 0o600);
    await this.#writeDevFile();
  }

  async #writeDevFile(): Promise<void> {
    const text = Object.entries(this.#variables)
      .map(([name, value]) => `${name}: ${value}\n`)
      .join('');
    const temporary = `${this.devPath}.tmp`;
    await writeFile(temporary, text);
    this.#mtimeSeconds = Math.max(this.#mtimeSeconds + 1, Math.floor(Date.now() / 1000));
    await utimes(temporary, this.#mtimeSeconds, this.#mtimeSeconds);
    await rename(temporary, this.devPath);
  }

  #spawn(command: string, args: string[]): ChildProcess {
    const child = spawnTied(command, args, { env: this.#env, stdio: ['ignore', 'pipe', 'pipe'] });
    const name = command.split('/').pop();
    const collect = (chunk: Buffer) => {
      this.#output += `[${name}] ${chunk.toString()}`;
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('error', (error) => {
      this.#output += `[${name}] spawn error: ${error.message}\n`;
    });
    return child;
  }

  /** dummy-ups says "WAIT" until it has read its file once. */
  async #servesData(): Promise<boolean> {
    const reply = await this.query(`GET VAR ${this.upsName} ups.status`).catch(() => '');
    return reply.startsWith('VAR ') && !reply.endsWith('"WAIT"');
  }

  async #waitUntil(
    condition: () => Promise<boolean>,
    what: string,
    child: () => ChildProcess | undefined,
  ): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    while (Date.now() < deadline) {
      const process = child();
      if (process && (process.exitCode !== null || process.signalCode !== null)) {
        throw new Error(`${what}: process exited (${process.exitCode ?? process.signalCode})\n${this.#output}`);
      }
      if (await condition()) return;
      await delay(50);
    }
    throw new Error(`timed out waiting for ${what}\n${this.#output}`);
  }
}

/** NUT config files use the same quoting as the network protocol. */
function nutConfQuote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function asRoot(): string[] {
  return process.getuid?.() === 0 ? ['-u', 'root'] : [];
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** SIGTERM, then SIGKILL if the process is still there after 5 s; resolves once it has exited. */
async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
