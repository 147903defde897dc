import { createInterface } from 'node:readline';
import { ViscaPtyEmulator, ViscaUdpEmulator } from '../visca/emulator.js';
import { parseControl } from './control.js';
import { describeError } from '../../core/describe-error.js';

export interface EmulatorRunOptions {
  transport: 'pty' | 'udp';
  /** pty: the path the driver opens (a symlink to the pty socat made). */
  link?: string;
  /** udp: port to listen on (52381 by default, 0 for any free port). */
  port?: number;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Resolves when the emulator should stop (signal, end of input). */
  until: Promise<void>;
}

/**
 * Runs a VISCA camera emulator for sim mode or a technician: prints one JSON line saying where it
 * listens, then obeys fault-injection commands read line by line from `input` (see control.ts).
 */
export async function runViscaEmulator(options: EmulatorRunOptions): Promise<void> {
  const say = (message: object) => options.output.write(`${JSON.stringify(message)}\n`);
  const camera =
    options.transport === 'pty'
      ? new ViscaPtyEmulator({
          driverSide: options.link ?? '/tmp/diemcau-visca',
          cameraSide: `${options.link ?? '/tmp/diemcau-visca'}.camera`,
        })
      : new ViscaUdpEmulator({ port: options.port ?? 52381 });
  await camera.plugIn();
  say(
    camera instanceof ViscaPtyEmulator
      ? { emulator: 'visca', transport: 'pty', device: camera.devicePath }
      : { emulator: 'visca', transport: 'udp', host: camera.host, port: camera.port },
  );
  const lines = createInterface({ input: options.input });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    void (async () => {
      const control = parseControl(line);
      switch (control.kind) {
        case 'invalid':
          return say({ error: control.reason });
        case 'silent':
          camera.model.silent = control.on;
          break;
        case 'fault':
          camera.model.faults.push(control.fault);
          break;
        case 'garbage':
          camera.sendRaw(control.bytes);
          break;
        case 'unplug':
          await camera.unplug();
          break;
        case 'plug':
          await camera.plugIn();
          break;
        case 'state': {
          const { presets, ...state } = camera.model.state;
          return say({ state: { ...state, presets: Object.fromEntries(presets) } });
        }
      }
      say({ ok: control.kind });
    })().catch((error: unknown) => say({ error: describeError(error) }));
  });
  try {
    await options.until;
  } finally {
    lines.close();
    await camera.unplug();
  }
}
