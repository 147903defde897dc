import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { BadConfigError, describeError, type DriverContext } from '../../core/driver.js';
import type { UpsConfig } from '../config.js';
import { UpsDriver } from '../ups-driver.js';
import { NutClient } from './client.js';
import { NutError } from './protocol.js';
import { nutVariables, readingFromNutVariables, tellsPowerState } from './reading.js';

export type NutUpsOptions = Extract<UpsConfig, { driver: 'nut' }>;

/**
 * A UPS served by NUT's upsd, local or on the LAN. We attach as a secondary monitor (LOGIN) when
 * credentials are configured, so upsd's primary waits for us before cutting power, and poll
 * `LIST VAR` every `pollMs`.
 *
 * upsd being reachable but without fresh data (DATA-STALE, DRIVER-NOT-CONNECTED) is a
 * "communication lost" with the UPS, not a lost connection: the socket stays and polling goes on.
 */
export class NutUps extends UpsDriver {
  readonly driverName: string = 'nut';
  #client: NutClient | undefined;
  #unknownFlagsLogged = new Set<string>();

  constructor(
    context: DriverContext,
    private readonly options: NutUpsOptions,
  ) {
    super(context);
  }

  /** Where upsd is; the emulated UPS points this at the upsd it starts itself. */
  protected target(): { host: string; port: number; upsName: string } {
    return this.options;
  }

  protected async open(): Promise<void> {
    const { host, port, upsName } = this.target();
    if (this.options.username && !this.options.passwordFile)
      throw new BadConfigError('ups.username needs ups.passwordFile (the password is never written in the config)');
    if (this.options.passwordFile && !this.options.username)
      throw new BadConfigError('ups.passwordFile needs ups.username');
    const password = await this.#readPassword();
    const ca = this.options.caFile ? await readConfigFile(this.options.caFile, 'ups.caFile') : undefined;

    const client = await NutClient.connect({ host, port });
    this.#client = client;
    client.onClose((reason) => {
      if (this.#client !== client) return;
      this.stopPolling();
      this.connectionLost(reason);
    });

    try {
      // `host` is what the certificate is checked against (an IP needs an IP SAN); SNI only for names.
      if (this.options.starttls)
        await client.startTls({ host, ...(isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) });
      if (this.options.username && password !== undefined) await client.login(upsName, this.options.username, password);
    } catch (error) {
      throw asConfigError(error, this.options.username);
    }
    await this.#poll(true);
    this.startPolling(this.options.pollMs, () => this.#poll());
  }

  protected async close(): Promise<void> {
    this.stopPolling();
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
  }

  async #readPassword(): Promise<string | undefined> {
    if (!this.options.passwordFile) return undefined;
    const text = await readConfigFile(this.options.passwordFile, 'ups.passwordFile');
    return text.replace(/\r?\n$/, '');
  }

  /**
   * One LIST VAR round trip; a socket failure reaches us through the client's onClose. The first poll
   * (inside open) lets an unknown UPS name fail the open as bad config.
   */
  async #poll(first = false): Promise<void> {
    const client = this.#client;
    if (!client || (client.closed && !first)) return;
    try {
      const vars = await client.listVar(this.target().upsName);
      const { reading, unknownFlags } = readingFromNutVariables(vars, new Date());
      if (!tellsPowerState(reading.flags)) {
        this.lostCommunication(`ups.status "${vars.get(nutVariables.status) ?? ''}" tells no power state`);
        return;
      }
      for (const flag of unknownFlags) {
        if (this.#unknownFlagsLogged.has(flag)) continue;
        this.#unknownFlagsLogged.add(flag);
        this.logger.warn({ device: this.id, flag }, 'UPS reports a status flag this build does not know');
      }
      this.publish(reading);
    } catch (error) {
      const communication = error instanceof NutError && error.category === 'communication';
      if (communication) this.lostCommunication(`upsd: ${error.code}`);
      else if (first) throw asConfigError(error, this.options.username);
      else if (!client.closed) this.lostCommunication(describeError(error));
    }
  }
}

async function readConfigFile(path: string, setting: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new BadConfigError(
      `${setting} cannot be read: ${(error as NodeJS.ErrnoException).code ?? describeError(error)}`,
    );
  }
}

/** Errors no retry can mend: wrong credentials, unknown UPS name, STARTTLS not set up on upsd. */
function asConfigError(error: unknown, username: string | undefined): unknown {
  if (!(error instanceof NutError)) return error;
  switch (error.category) {
    case 'authentication':
      return new BadConfigError(
        `upsd refused the login of "${username ?? ''}" (${error.code}); check upsd.users and ups.passwordFile`,
      );
    case 'unknown-ups':
      return new BadConfigError(`upsd does not serve this UPS name (${error.code}); check ups.upsName`);
    case 'unsupported':
      return new BadConfigError(
        `upsd cannot do STARTTLS (${error.code}); give upsd a certificate or set ups.starttls to false`,
      );
    default:
      return error;
  }
}
