import { access, constants, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, projectRoot } from '../../config/load.js';
import { describeError } from '../../hal/core/describe-error.js';
import { incompatibilities, releaseInfo, releaseInfoFile, thisHost } from '../update/release-info.js';
import type { Command } from './command.js';

type Check = { name: string; run: () => Promise<string> };

/**
 * `diemcau self-test`: what an install must prove before the room relies on it, without starting
 * the daemon: the config is valid, the release was built for this machine, every native module
 * loads on this CPU and Node (a wrong-architecture build fails here, not at 3 a.m.), GStreamer runs
 * a pipeline, and the console's TLS files can be read. The install script then starts the daemon and
 * waits for its health endpoint.
 */
export const selfTestCommand: Command = {
  name: 'self-test',
  summary: 'check an installed release on this machine: config, architecture, native modules, GStreamer, TLS files',
  usage: "self-test [--config FILE] [--root DIR]   (--root: the config's files are under DIR, an image tree)",
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { config: { type: 'string', short: 'c' }, root: { type: 'string', default: '/' } },
      strict: true,
    });
    const require = createRequire(import.meta.url);
    const { config, source } = loadConfig(values.config);
    const checks: Check[] = [
      { name: 'config', run: async () => `${source}: room ${config.room.id}` },
      {
        name: 'release',
        run: async () => {
          const text = await readFile(join(projectRoot(), releaseInfoFile), 'utf8').catch(() => undefined);
          if (text === undefined) return 'a checkout, not a release (no release.json)';
          const info = releaseInfo.parse(JSON.parse(text));
          const problems = incompatibilities(info, thisHost());
          if (problems.length > 0) throw new Error(problems.join('; '));
          return `${info.version} for ${info.platform}-${info.arch}, Node ABI ${info.nodeAbi}`;
        },
      },
      {
        name: 'sqlite3',
        run: async () => {
          const sqlite3 = require('sqlite3') as typeof import('sqlite3');
          return new Promise((resolve, reject) => {
            const db = new sqlite3.Database(':memory:');
            db.get('SELECT sqlite_version() AS v', (error: Error | null, row: { v: string }) =>
              db.close(() => (error ? reject(error) : resolve(`SQLite ${row.v}`))),
            );
          });
        },
      },
      {
        name: 'serialport',
        run: async () => {
          const { SerialPort } = require('serialport') as typeof import('serialport');
          return `${(await SerialPort.list()).length} serial ports listed`;
        },
      },
      {
        name: 'gstreamer',
        run: async () => {
          const { Pipeline } = require('gstreamer-superficial') as {
            Pipeline: new (
              launch: string,
            ) => { play(): void; stop(): void; pollBus(cb: (m: { type: string }) => void): void };
          };
          const pipeline = new Pipeline('videotestsrc num-buffers=3 ! fakesink');
          const ended = await new Promise<string>((resolve) => {
            pipeline.pollBus((message) => {
              if (message.type === 'eos' || message.type === 'error') resolve(message.type);
            });
            pipeline.play();
          });
          pipeline.stop();
          if (ended !== 'eos') throw new Error('a test pipeline failed');
          return 'a test pipeline ran';
        },
      },
      {
        name: 'console TLS',
        run: async () => {
          const tls = config.web.console.tls;
          if (!tls) return 'not configured (plain HTTP console)';
          for (const file of [tls.certFile, tls.keyFile]) await access(join(values.root!, file), constants.R_OK);
          return tls.certFile;
        },
      },
    ];
    let failed = 0;
    for (const check of checks) {
      try {
        process.stdout.write(`ok    ${check.name}: ${await check.run()}\n`);
      } catch (error) {
        failed++;
        process.stdout.write(`FAIL  ${check.name}: ${describeError(error)}\n`);
      }
    }
    return failed === 0 ? 0 : 1;
  },
};
