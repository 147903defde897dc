import { execFile } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdtemp, open, readFile, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateDeviceKey } from '../../kiosk/evidence/device-key.js';
import { sha256File } from '../../kiosk/core/hashing.js';
import { writeSignedManifest } from '../../kiosk/evidence/seal.js';
import { verifyFolder } from '../../kiosk/evidence/verify.js';
import type { BenchSuite } from './types.js';

const FILES = 3;
const FILE_BYTES = 200 * 1024 * 1024;
const ROUNDS = 3;

/** Verify throughput on 3 × 200 MB segments against `sha256sum` over the same files, both from a warm page cache. */
export const evidenceBench: BenchSuite = {
  name: 'evidence',
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'diemcau-bench-evidence-'));
    try {
      const free = await statfs(dir);
      if (free.bavail * free.bsize < FILES * FILE_BYTES * 1.5)
        throw new Error(`not enough space in ${tmpdir()} for ${FILES} × ${FILE_BYTES} bytes`);
      const names = Array.from({ length: FILES }, (_, i) => `segment-${String(i).padStart(5, '0')}.mkv`);
      for (const name of names) await writeRandomFile(join(dir, name), FILE_BYTES);
      const segments = [];
      for (const name of names) {
        const digest = await sha256File(join(dir, name));
        segments.push({
          name,
          size: digest.size,
          sha256: digest.sha256,
          durationSeconds: 300,
          startedAt: 'bench',
          endedAt: 'bench',
        });
      }
      await writeSignedManifest(
        dir,
        {
          device: { id: 'bench', room: 'bench' },
          recording: {
            id: 'bench',
            sessionId: null,
            confidential: false,
            state: 'closed',
            startedAt: 'bench',
            endedAt: 'bench',
          },
          segments,
          events: [],
          createdAt: new Date().toISOString(),
        },
        generateDeviceKey(),
      );
      const paths = names.map((n) => join(dir, n));
      await Promise.all(paths.map((p) => readFile(p).then(() => undefined)));

      let ours = Infinity;
      let peer = Infinity;
      for (let round = 0; round < ROUNDS; round++) {
        const t0 = performance.now();
        const report = await verifyFolder(dir);
        ours = Math.min(ours, performance.now() - t0);
        if (!report.ok) throw new Error(`bench folder did not verify: ${JSON.stringify(report.findings)}`);
        const t1 = performance.now();
        await promisify(execFile)('sha256sum', paths, { maxBuffer: 1 << 20 });
        peer = Math.min(peer, performance.now() - t1);
      }
      const megabytes = (FILES * FILE_BYTES) / 1e6;
      const oursRate = megabytes / (ours / 1000);
      const peerRate = megabytes / (peer / 1000);
      return [
        {
          name: `verify ${FILES} × ${FILE_BYTES / 1024 / 1024} MiB (best of ${ROUNDS}, warm cache)`,
          value: oursRate,
          unit: 'MB/s',
          ratio: { peer: 'sha256sum on the same files', value: oursRate / peerRate },
        },
        { name: 'sha256sum on the same files', value: peerRate, unit: 'MB/s' },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
    for (let written = 0; written < bytes; written += chunk.length) {
      randomFillSync(chunk);
      await handle.write(chunk, 0, Math.min(chunk.length, bytes - written));
    }
  } finally {
    await handle.close();
  }
}
