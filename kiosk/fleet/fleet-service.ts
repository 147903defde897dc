import { readFile } from 'node:fs/promises';
import type { DeviceConfig } from '../../config/schema.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { Database } from '../store/database.js';
import { FleetClient, type FleetLinkState } from './fleet-client.js';
import { FleetOutbox } from './outbox.js';
import type { EventTopic } from './protocol.js';

export interface FleetServiceOptions {
  config: DeviceConfig['fleet'];
  room: DeviceConfig['room'];
  version: string;
  db: () => Database;
  bus: EventBus;
  logger: Logger;
  health: () => unknown;
  publicKeyFingerprint: () => string;
  /** The session service: schedule pushes in, confidentiality-safe session views out. */
  sessions: { upsertFromFleet(payload: unknown): Promise<unknown>; fleetView(id: string): Promise<unknown> };
}

/**
 * Reports this room to the central monitoring: readiness results and alerts, session states (fleet
 * views, never identities), recording gaps, power and disk alerts, live health; takes schedule
 * pushes. Everything is queued in the outbox first, so nothing is lost while the link is down.
 */
export class FleetService implements Service {
  readonly name = 'fleet';
  #client: FleetClient | undefined;
  #outbox: FleetOutbox | undefined;
  #state: FleetLinkState | 'disabled' | 'bad-config' = 'disabled';
  #disposers: (() => void)[] = [];
  #healthTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FleetServiceOptions) {}

  get state(): FleetLinkState | 'disabled' | 'bad-config' {
    return this.#state;
  }

  async start(): Promise<void> {
    const { config, bus, logger } = this.options;
    if (!config.enabled || !config.url || !config.credentialFile) return;
    // A room without its fleet link still holds its sessions: a bad credential is reported, not fatal.
    const credential = await readCredential(config.credentialFile).catch((error: Error) => {
      logger.error({ err: error.message }, 'fleet link disabled: no usable device credential');
      this.#state = 'bad-config';
      return undefined;
    });
    if (!credential) return;
    const outbox = new FleetOutbox(this.options.db());
    this.#outbox = outbox;
    this.#client = new FleetClient({
      url: config.url,
      credential,
      outbox,
      logger,
      health: this.options.health,
      onSchedule: (payload) => this.options.sessions.upsertFromFleet(payload),
      onState: (state, detail) => {
        if (state !== this.#state) logger.info({ state, detail }, 'fleet link');
        this.#state = state;
      },
      hello: () => ({
        type: 'hello',
        protocol: 1,
        room: { id: this.options.room.id, name: this.options.room.name, role: this.options.room.role },
        version: this.options.version,
        publicKey: { fingerprint: this.options.publicKeyFingerprint() },
      }),
    });

    const queue = (topic: EventTopic, data: () => Promise<unknown> | unknown) => {
      void (async () => {
        await outbox.add(topic, await data());
        this.#client?.notify();
      })().catch((error: unknown) => logger.error({ topic, err: String((error as Error)?.message ?? error) }, 'cannot queue a fleet event'));
    };
    this.#disposers.push(
      bus.on('readinessCompleted', (run) => queue('readiness', () => run)),
      bus.on('readinessAlert', (alert) => queue('readiness-alert', () => alert)),
      bus.on('sessionStateChanged', (change) => queue('session', async () => ({ change, session: await this.options.sessions.fleetView(change.sessionId) }))),
      bus.on('sessionGap', (gap) => queue('session-gap', () => gap)),
      bus.on('powerAlert', (alert) => queue('power', () => alert)),
      bus.on('diskLow', (status) => queue('disk', () => status)),
      bus.on('evidenceAlert', (alert) => queue('evidence-alert', () => alert)),
      bus.on('securityAlert', (alert) => queue('security-alert', () => alert)),
      // Health is live state, not history: sent when it changes (at most once a second), never queued.
      bus.on('deviceStatus', () => this.#healthSoon()),
    );
    // Other processes queue events too (the CLI's security alerts): look at the outbox now and then.
    const sweep = setInterval(() => this.#client?.notify(), 15_000);
    sweep.unref();
    this.#disposers.push(() => clearInterval(sweep));
    this.#client.start();
  }

  async stop(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
    clearTimeout(this.#healthTimer);
    await this.#client?.stop();
    this.#client = undefined;
    this.#outbox = undefined;
    this.#state = 'disabled';
  }

  #healthSoon(): void {
    if (this.#healthTimer) return;
    this.#healthTimer = setTimeout(() => {
      this.#healthTimer = undefined;
      this.#client?.sendHealth();
    }, 1000);
    this.#healthTimer.unref?.();
  }
}

/** The credential issued by the hub: a bearer token, so printable ASCII without spaces (RFC 6750 token68). */
async function readCredential(path: string): Promise<string> {
  const credential = (await readFile(path, 'utf8')).trim();
  if (!credential) throw new Error(`credential file ${path} is empty`);
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(credential)) throw new Error(`credential in ${path} is not a bearer token (letters, digits and -._~+/ only)`);
  return credential;
}
