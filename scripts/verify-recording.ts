#!/usr/bin/env node
/**
 * The standalone recording verifier: `node dist/scripts/verify-recording.js DIR [--pubkey FILE]`.
 * The same check as `diemcau verify`, without loading the daemon's command table.
 */
import { UsageError } from '../kiosk/cli/command.js';
import { runVerify } from '../kiosk/cli/verify.js';
import { describeError } from '../hal/core/describe-error.js';

runVerify(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(
      usage
        ? `verify-recording: ${describeError(error)}\nusage: verify-recording DIR [--pubkey FILE] [--decrypt-to OUT (--identity-file KEY.txt | --passphrase-file FILE)]\n`
        : `verify-recording: ${(error as Error)?.stack ?? String(error)}\n`,
    );
    process.exitCode = usage ? 2 : 1;
  },
);
