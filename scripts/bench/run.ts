import { parseArgs } from 'node:util';
import type { BenchSuite } from './types.js';

/** Every suite, loaded lazily; `npm run bench -- --only media` runs one. */
const suites: Record<string, () => Promise<BenchSuite>> = {
  daemon: async () => (await import('./daemon.js')).daemonBench,
  ptz: async () => (await import('./ptz.js')).ptzBench,
  evidence: async () => (await import('./evidence.js')).evidenceBench,
  ups: async () => (await import('./ups.js')).upsBench,
  readiness: async () => (await import('./readiness.js')).readinessBench,
  media: async () => (await import('./media.js')).mediaBench,
  fleet: async () => (await import('./fleet.js')).fleetBench,
  'ip-camera': async () => (await import('./ip-camera.js')).ipCameraBench,
  update: async () => (await import('./update.js')).updateBench,
  'kiosk-tap': async () => (await import('./kiosk-tap.js')).kioskTapBench,
  soak: async () => (await import('./soak.js')).soakBench,
};
/** Run only when asked by name: they take as long as what they watch. */
const longSuites = new Set(['soak']);

const { values } = parseArgs({ options: { only: { type: 'string', multiple: true } }, strict: true });
const selected = values.only ?? Object.keys(suites).filter((name) => !longSuites.has(name));
let failed = false;
for (const name of selected) {
  const load = suites[name];
  if (!load) {
    process.stderr.write(`unknown bench suite ${name}; known: ${Object.keys(suites).join(', ')}\n`);
    failed = true;
    continue;
  }
  const suite = await load();
  process.stdout.write(`\n## ${suite.name}\n`);
  try {
    for (const figure of await suite.run()) {
      const ratio = figure.ratio ? `  (${figure.ratio.value.toFixed(2)}× ${figure.ratio.peer})` : '';
      const target = figure.target ? `  target ${figure.target}` : '';
      process.stdout.write(
        `${figure.name}: ${Number.isInteger(figure.value) ? figure.value : figure.value.toFixed(3)} ${figure.unit}${ratio}${target}\n`,
      );
    }
  } catch (error) {
    failed = true;
    process.stderr.write(`suite ${name} failed: ${(error as Error).stack ?? error}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
