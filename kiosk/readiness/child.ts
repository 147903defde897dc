import { spawn } from 'node:child_process';

export interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a tool to completion with a deadline and an abort signal (both kill it), capturing output.
 * `enough(stdout)` may end it early once it has produced what we need.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; signal?: AbortSignal; maxStdoutBytes?: number; enough?: (stdout: Buffer) => boolean },
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new Error('aborted'));
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let finished = false;
    const stop = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(stop, options.timeoutMs);
    options.signal?.addEventListener('abort', stop, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (size < (options.maxStdoutBytes ?? 16 * 1024 * 1024)) {
        chunks.push(chunk);
        size += chunk.length;
      }
      if (options.enough?.(Buffer.concat(chunks))) stop();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString();
    });
    child.once('error', (error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      resolve({ code, signal, stdout: Buffer.concat(chunks), stderr });
    });
  });
}
