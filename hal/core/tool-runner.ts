import { execFile } from 'node:child_process';
import { delimiter } from 'node:path';

/** A command-line tool failed: not installed, timed out, or exited non-zero. */
export class ToolError extends Error {
  override name = 'ToolError';
  constructor(
    message: string,
    readonly tool: string,
    readonly reason: 'missing' | 'timeout' | 'exit',
    readonly stderr: string,
    readonly exitCode: number | null,
    /** What the tool printed before failing: some (v4l2-ctl --list-devices) list what they could. */
    readonly stdout = '',
  ) {
    super(message);
  }
}

export interface ToolRunner {
  /** Runs `tool args…` without a shell and resolves with its stdout. */
  run(tool: string, args: readonly string[], options?: { timeoutMs?: number }): Promise<string>;
}

export interface ToolRunnerOptions {
  /** Folders searched before PATH: tests put fake executables here. */
  pathPrefix?: readonly string[];
  defaultTimeoutMs?: number;
}

/**
 * Hardware CLIs (ddcutil, cec-ctl, v4l2-ctl, amixer, pactl) run through here: never a shell, always a
 * timeout (a wedged I2C bus can hang ddcutil for minutes), LC_ALL=C so the output we parse is English.
 */
export function toolRunner(options: ToolRunnerOptions = {}): ToolRunner {
  const path = [...(options.pathPrefix ?? []), process.env.PATH ?? '/usr/bin:/bin'].join(delimiter);
  const env = { ...process.env, PATH: path, LC_ALL: 'C' };
  return {
    run(tool, args, runOptions) {
      const timeout = runOptions?.timeoutMs ?? options.defaultTimeoutMs ?? 5000;
      return new Promise((resolve, reject) => {
        execFile(
          tool,
          [...args],
          { env, timeout, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' },
          (error, stdout, stderr) => {
            if (!error) {
              resolve(stdout);
              return;
            }
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'ENOENT') {
              reject(new ToolError(`${tool} is not installed`, tool, 'missing', '', null));
            } else if (error.killed) {
              reject(new ToolError(`${tool} did not answer within ${timeout} ms`, tool, 'timeout', stderr, null));
            } else {
              const exitCode = typeof code === 'number' ? code : null;
              const why = firstLine(stderr) || firstLine(stdout) || `exit code ${exitCode}`;
              reject(new ToolError(`${tool} ${args.join(' ')} failed: ${why}`, tool, 'exit', stderr, exitCode, stdout));
            }
          },
        );
      });
    },
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0) ?? ''
  );
}
