import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { runViscaEmulator } from '../../hal/ptz/emulation/run-emulator.js';
import { UsageError, type Command } from './command.js';

export const ptzEmulatorCommand: Command = {
  name: 'ptz-emulator',
  summary: 'run a VISCA camera emulator on a pty (socat) or UDP, with fault injection from stdin',
  usage: 'ptz-emulator [--transport pty|udp] [--link PATH] [--port N]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { transport: { type: 'string', default: 'pty' }, link: { type: 'string' }, port: { type: 'string' } },
      strict: true,
    });
    const transport = values.transport;
    if (transport !== 'pty' && transport !== 'udp') throw new UsageError('--transport must be pty or udp');
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
      throw new UsageError('--port must be 0–65535');
    const until = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM'), once(process.stdin, 'end')]).then(
      () => undefined,
    );
    await runViscaEmulator({
      transport,
      ...(values.link ? { link: values.link } : {}),
      ...(port !== undefined ? { port } : {}),
      input: process.stdin,
      output: process.stdout,
      until,
    });
    return 0;
  },
};
