import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * No UVC PTZ camera exists on this machine, so the real driver runs against a fake `v4l2-ctl` that
 * the test writes and puts first on PATH. The fake records every argument list, keeps the camera's
 * controls in a JSON file, prints what v4l2-ctl prints, and fails like v4l2-ctl when the device is
 * "unplugged" (a marker file).
 */
export const FAKE_V4L2_CTL = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const dir = path.dirname(process.argv[1]);
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'calls.log'), JSON.stringify(args) + '\\n');
const device = args[args.indexOf('-d') + 1];
if (fs.existsSync(path.join(dir, 'unplugged'))) {
  process.stderr.write('Cannot open device ' + device + ', exiting.\\n');
  process.exit(1);
}
const statePath = path.join(dir, 'state.json');
const state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
const ranges = { pan_absolute: [-36000, 36000, 3600, 0], tilt_absolute: [-36000, 36000, 3600, 0], zoom_absolute: [100, 500, 1, 100] };
for (const arg of args) {
  if (arg === '--list-ctrls') {
    process.stdout.write('\\nCamera Controls\\n\\n');
    for (const [name, [min, max, step, def]] of Object.entries(ranges)) {
      process.stdout.write(name.padStart(31) + ' 0x009a0908 (int)    : min=' + min + ' max=' + max + ' step=' + step + ' default=' + def + ' value=' + state[name] + '\\n');
    }
  } else if (arg.startsWith('--get-ctrl=')) {
    for (const name of arg.slice(11).split(',')) process.stdout.write(name + ': ' + state[name] + '\\n');
  } else if (arg.startsWith('--set-ctrl=')) {
    for (const pair of arg.slice(11).split(',')) {
      const [name, value] = pair.split('=');
      const [min, max] = ranges[name];
      if (Number(value) < min || Number(value) > max) {
        process.stderr.write('VIDIOC_S_EXT_CTRLS: failed: Numerical result out of range\\n');
        process.exit(1);
      }
      state[name] = Number(value);
    }
    fs.writeFileSync(statePath, JSON.stringify(state));
  }
}
`;

/** Writes the fake into `dir` with a camera at rest; returns the environment that puts it first on PATH. */
export async function installFakeV4l2Ctl(dir: string): Promise<NodeJS.ProcessEnv> {
  await writeFile(join(dir, 'v4l2-ctl'), FAKE_V4L2_CTL);
  await chmod(join(dir, 'v4l2-ctl'), 0o755);
  await writeFile(join(dir, 'state.json'), JSON.stringify({ pan_absolute: 0, tilt_absolute: 0, zoom_absolute: 100 }));
  await writeFile(join(dir, 'calls.log'), '');
  return { ...process.env, PATH: `${dir}:${process.env.PATH}` };
}
