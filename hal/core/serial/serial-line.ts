import { SerialPort } from 'serialport';

/**
 * Opens a serial port 8N1 and reports its loss. A 'data' listener is always attached: a port that
 * is not read never notices that its device vanished.
 */
export async function openSerialLine(
  path: string,
  baudRate: number,
  handlers: { data(chunk: Buffer): void; closed(): void; error(error: Error): void },
): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate, dataBits: 8, stopBits: 1, parity: 'none', autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((error) => (error ? reject(new Error(`cannot open ${path}: ${error.message}`)) : resolve())),
  );
  port.on('data', handlers.data);
  port.on('close', handlers.closed);
  port.on('error', handlers.error);
  return port;
}

export async function closeSerialLine(port: SerialPort | undefined): Promise<void> {
  if (!port) return;
  port.removeAllListeners('data');
  port.removeAllListeners('close');
  if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  port.removeAllListeners();
  port.on('error', () => undefined);
}

/** Writes and waits until the bytes left the process (drain), or rejects when the port is gone. */
export async function writeAll(port: SerialPort | undefined, bytes: Buffer): Promise<void> {
  if (!port?.isOpen) throw new Error('serial port is not open');
  await new Promise<void>((resolve, reject) => port.write(bytes, (error) => (error ? reject(error) : resolve())));
  await new Promise<void>((resolve, reject) => port.drain((error) => (error ? reject(error) : resolve())));
}
