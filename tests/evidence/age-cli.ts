import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Debian's age CLI (apt package `age`), as the authority that receives an export runs it. */
const run = promisify(execFile);

/** An identity made by Debian's age-keygen, as the authority would make it; its public key for the config. */
export async function keygen(dir: string, name: string): Promise<{ file: string; publicKey: string }> {
  const file = join(dir, `${name}.txt`);
  await run('age-keygen', ['-o', file]);
  const { stdout } = await run('age-keygen', ['-y', file]);
  return { file, publicKey: stdout.trim() };
}

/** `age` with its exit code, stdout as bytes and stderr. */
export function age(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('age', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr });
    });
  });
}

/**
 * `age -d` with a passphrase: age reads it from the terminal only (never stdin), so it runs under
 * `script`, which gives it a pseudo-terminal; the passphrase is typed once age asks for it.
 */
export function ageDecryptWithPassphrase(
  file: string,
  out: string,
  passphrase: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-q', '-e', '-c', `age -d -o '${out}' '${file}'`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let typed = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!typed && /passphrase/i.test(output)) {
        typed = true;
        child.stdin.write(`${passphrase}\n`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}
