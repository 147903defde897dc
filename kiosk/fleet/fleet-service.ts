import type { NatsConnection } from '@nats-io/nats-core';
import type { DeviceConfig } from '../../config/schema.js';
import type { DeviceStatus } from '../../hal/core/driver.js';
import { backoffDelay } from '../../hal/core/backoff.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import { runCommand } from '../power/shutdown-command.js';
import type { ReadinessRun } from '../readiness/types.js';
import { SessionError } from '../session/errors.js';
import type { Database } from '../store/database.js';
import { RoomAnchoring } from './anchoring.js';
import { roomEventOf } from './event-map.js';
import { SchemaError } from './nats/codec.js';
import { boundLogLines } from './nats/commands.js';
import { connectRoom, readUserCredential } from './nats/connection.js';
import type { NkeyUser } from './keys/nkey.js';
import { RoomPublisher } from './nats/publish.js';
import { CommandRefused, serveCommands, type CommandHandlers } from './nats/responder.js';
import type { RoomState } from './nats/state.js';
import type { EventTopic } from './nats/subjects.js';
import { FleetOutbox } from './outbox.js';
import { nextSessionSlot, nextSessionState, type SessionSlot } from './room-state/next-session.js';
import { OpenAlerts } from './room-state/open-alerts.js';
import type { StreamState } from './telemetry/reading.js';
import { createSampler, type TelemetrySources } from './telemetry/sampler.js';
import { TelemetryLoop } from './telemetry/telemetry-loop.js';
import { describeError } from '../../hal/core/describe-error.js';

export type FleetLinkState = 'disabled' | 'bad-config' | 'connecting' | 'connected' | 'refused' | 'disconnected';

export interface FleetServiceOptions {
  config: DeviceConfig['fleet'];
  room: DeviceConfig['room'];
  version: string;
  db: () => Database;
  bus: EventBus;
  logger: Logger;
  /** What `/api/health` reports: the overall status for the state, devices and stream for telemetry. */
  health: () => {
    status: string;
    devices: readonly { id: string; status: DeviceStatus }[];
    media?: { stream: StreamState };
  };
  /** The session service: schedule pushes in, confidentiality-safe session views out, the schedule's ids and times for the state. */
  sessions: {
    upsertFromFleet(
      payload: unknown,
    ): Promise<{ created: number; updated: number; cancelled: number; ignored: number }>;
    fleetView(id: string): Promise<unknown>;
    activeSession(): { id: string } | null;
    listSchedule(range: { from?: string }): Promise<SessionSlot[]>;
  };
  readiness: {
    run(request: { sessionId?: string | null; kind: 'on-demand'; trigger: 'fleet' }): Promise<ReadinessRun>;
    lastRun(): Promise<ReadinessRun | undefined>;
    /** The runs made for one session, newest first. */
    runsFor(sessionId: string): Promise<ReadinessRun[]>;
  };
  /** What telemetry reads besides health: the disks that matter and the UPS. */
  machine: Pick<TelemetrySources, 'paths' | 'ups'>;
  /** The daemon's newest log lines, redacted (kiosk/core/recent-logs.ts), for the `recent-logs` command. */
  recentLogs?: (count: number) => string[];
  /** Software updates (kiosk/update): the `update` command starts one. */
  update?: {
    request(
      source: { url: string },
      requestedBy: { via: 'fleet'; actor: string },
    ): Promise<{ id: string; state: string }>;
  };
  /** What `reboot` does; by default runs `fleet.rebootCommand` (an empty command: logged, nothing done). Injectable for tests. */
  reboot?: (reason: string) => Promise<void>;
}

/**
 * Reports this room to central monitoring over NATS (kiosk/fleet/nats/schema.md): every event is
 * queued in the SQLite outbox first, published to JetStream with the id `room:seq`, and deleted only
 * on the publish acknowledgement, one at a time, in order, so nothing is lost or reordered while the
 * link is down (a replay after a lost ack is dropped by the stream's duplicate window). The room's
 * state goes to its KV key when it changes; commands are answered by request/reply.
 */
export class FleetService implements Service {
  readonly name = 'fleet';
  #state: FleetLinkState = 'disabled';
  #running = false;
  #nc: NatsConnection | undefined;
  #publisher: RoomPublisher | undefined;
  #outbox: FleetOutbox | undefined;
  #anchoring: RoomAnchoring | undefined;
  #disposers: (() => void)[] = [];
  #connecting: Promise<void> | undefined;
  #draining: Promise<void> | undefined;
  #drainRequested = false;
  #retry: NodeJS.Timeout | undefined;
  #stateTimer: NodeJS.Timeout | undefined;
  #lastState = '';
  #lastStateAt = 0;
  #stateWriting: Promise<void> | undefined;
  #stateRequested = false;
  #live: { sessionId: string; since: string } | null = null;
  #lastReadiness: RoomState['lastReadiness'] = null;
  #alerts: OpenAlerts | undefined;
  #openAlerts = 0;
  #telemetry: TelemetryLoop | undefined;

  constructor(private readonly options: FleetServiceOptions) {}

  get state(): FleetLinkState {
    return this.#state;
  }

  /** Events queued and not yet acknowledged by central monitoring; null while the link is not running. */
  async pendingEvents(): Promise<number | null> {
    return this.#outbox ? this.#outbox.size() : null;
  }

  async start(): Promise<void> {
    const { config, bus, logger, room } = this.options;
    if (!config.enabled || config.servers.length === 0 || !config.credentialFile) return;
    // Before the credential is read: a seal during a bad-config spell is still anchored once fixed.
    this.#anchoring = new RoomAnchoring({
      db: this.options.db(),
      bus,
      logger,
      roomId: room.id,
      notaryKeys: config.notaryKeys,
      link: () => (this.#state === 'connected' ? this.#nc : undefined),
    });
    this.#anchoring.start();
    // A room without its link still holds its sessions: a bad credential is reported, not fatal.
    const user = await readUserCredential(config.credentialFile).catch((error: Error) => {
      logger.error({ err: error.message }, 'fleet link disabled: no usable room credential');
      this.#setState('bad-config');
      return undefined;
    });
    if (!user) return;
    const outbox = new FleetOutbox(this.options.db());
    this.#outbox = outbox;
    const last = await this.options.readiness.lastRun().catch(() => undefined);
    if (last) this.#lastReadiness = readinessSummary(last);
    this.#alerts = new OpenAlerts(this.options.db());
    this.#openAlerts = await this.#alerts.count();
    this.#telemetry = new TelemetryLoop({
      intervalMs: config.telemetry.intervalSeconds * 1000,
      fullEveryMs: config.telemetry.fullEveryMinutes * 60_000,
      sample: createSampler({ version: this.options.version, health: this.options.health, ...this.options.machine }),
      publish: (sample) => {
        if (!this.#publisher) throw new Error('not connected');
        this.#publisher.telemetry(sample);
      },
      linkUp: () => this.#state === 'connected' && this.#publisher !== undefined,
      logger,
    });
    this.#telemetry.start();
    this.#disposers.push(() => this.#telemetry?.stop());

    const queue = (topic: EventTopic, data: () => Promise<unknown> | unknown) => {
      void (async () => {
        await outbox.add(topic, await data());
        this.#drain();
      })().catch((error: unknown) => logger.error({ topic, err: describeError(error) }, 'cannot queue a fleet event'));
    };
    this.#disposers.push(
      bus.on('readinessCompleted', (run) => {
        this.#lastReadiness = readinessSummary(run);
        this.#stateSoon();
        queue('readiness', () => run);
      }),
      bus.on('readinessAlert', (alert) => queue('readiness-alert', () => alert)),
      bus.on('sessionStateChanged', (change) => {
        if (change.to === 'live') this.#live = { sessionId: change.sessionId, since: change.at };
        else if (this.#live?.sessionId === change.sessionId) this.#live = null;
        this.#stateSoon();
        queue('session', async () => ({ change, session: await this.options.sessions.fleetView(change.sessionId) }));
      }),
      bus.on('sessionGap', (gap) => queue('session-gap', () => gap)),
      bus.on('powerAlert', (alert) => queue('power', () => alert)),
      bus.on('diskLow', (status) => queue('disk', () => status)),
      bus.on('evidenceAlert', (alert) => queue('evidence-alert', () => alert)),
      // A recording that could not be sealed and is sealed later: its alert is cleared (only if one is open).
      bus.on('recordingSealed', (sealed) => {
        void this.#alerts
          ?.isOpen(`evidence:${sealed.recordingId}`)
          .then(
            (open) => open && queue('evidence-alert', () => ({ recordingId: sealed.recordingId, state: 'cleared' })),
          )
          .catch((error: unknown) =>
            logger.error({ err: describeError(error) }, "cannot check the recording's evidence alert"),
          );
      }),
      bus.on('securityAlert', (alert) => queue('security-alert', () => alert)),
      bus.on('technicianCall', (call) => queue('technician-call', () => call)),
      // Progress and outcome of a software update; the requester is named only by the channel (console, fleet, cli).
      bus.on('updateProgress', (status) =>
        queue('update', () => ({
          id: status.id,
          state: status.state,
          from: status.from,
          to: status.to,
          via: status.requestedBy.via,
          at: status.updatedAt,
          ...(status.problem ? { problem: status.problem } : {}),
          ...(status.detail ? { detail: status.detail } : {}),
        })),
      ),
      // Health is live state, not history: the KV key is rewritten when it changes (at most once a second).
      bus.on('deviceStatus', () => this.#stateSoon()),
    );
    // Other processes queue events too (the CLI's security alerts), and the state needs a heartbeat.
    const sweep = setInterval(() => {
      this.#drain();
      this.#stateSoon();
    }, 15_000);
    sweep.unref();
    this.#disposers.push(() => clearInterval(sweep));
    this.#running = true;
    this.#connecting = this.#connectForever({ roomId: room.id, user });
  }

  async stop(): Promise<void> {
    this.#running = false;
    for (const dispose of this.#disposers.splice(0)) dispose();
    clearTimeout(this.#retry);
    clearTimeout(this.#stateTimer);
    const nc = this.#nc;
    this.#nc = undefined;
    this.#publisher = undefined;
    await nc?.close().catch(() => undefined);
    await this.#connecting?.catch(() => undefined);
    await this.#draining?.catch(() => undefined);
    await this.#anchoring?.stop();
    this.#anchoring = undefined;
    this.#outbox = undefined;
    this.#setState('disabled');
  }

  #setState(state: FleetLinkState, detail?: string): void {
    if (state !== this.#state) this.options.logger.info({ state, ...(detail ? { detail } : {}) }, 'fleet link');
    this.#state = state;
  }

  /** Dials until connected, then lets the client reconnect on its own (forever); dials again if the connection ever closes. */
  async #connectForever(credential: { roomId: string; user: NkeyUser }): Promise<void> {
    const { config, logger } = this.options;
    for (let attempt = 0; this.#running; ) {
      this.#setState('connecting');
      let nc: NatsConnection;
      try {
        nc = await connectRoom({
          servers: config.servers,
          credential,
          ...(config.caFile ? { caFile: config.caFile } : {}),
          // The ping is most of an idle link's bytes (schema.md, the budget): a dead link is noticed after two missed.
          options: {
            timeout: 10_000,
            reconnect: true,
            maxReconnectAttempts: -1,
            reconnectTimeWait: 1000,
            reconnectJitter: 500,
            pingInterval: config.keepalive.pingSeconds * 1000,
            maxPingOut: 2,
          },
        });
      } catch (error) {
        const message = describeError(error);
        const refused = /authori[sz]ation|authentication/i.test(message);
        this.#setState(refused ? 'refused' : 'disconnected', message);
        logger.warn(
          { err: message },
          refused ? 'central monitoring refused this room credential' : 'cannot reach central monitoring',
        );
        await new Promise<void>((resolve) => {
          this.#retry = setTimeout(resolve, backoffDelay(attempt++));
          this.#retry.unref?.();
        });
        continue;
      }
      if (!this.#running) {
        await nc.close();
        return;
      }
      attempt = 0;
      this.#nc = nc;
      this.#publisher = new RoomPublisher(nc, credential.roomId);
      // The command subscription ends with its connection: nothing to keep.
      serveCommands(nc, credential.roomId, this.#handlers(), {
        onError: (detail) => logger.warn(detail, 'fleet command refused'),
      });
      this.#onConnected();
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') this.#setState('disconnected');
        else if (status.type === 'reconnect') this.#onConnected();
        else if (status.type === 'error')
          logger.warn({ err: String(status.error?.message ?? status.error) }, 'central monitoring reported an error');
      }
      await nc.closed();
      if (this.#nc === nc) {
        this.#nc = undefined;
        this.#publisher = undefined;
      }
      if (this.#running) this.#setState('disconnected', 'connection closed');
    }
  }

  #onConnected(): void {
    this.#setState('connected');
    this.#lastState = '';
    this.#stateSoon(0);
    this.#drain();
    this.#anchoring?.kick();
    this.#telemetry?.connected();
  }

  /** Publishes the outbox in order, one entry at a time, each deleted on its ack; one drain at a time. */
  #drain(): void {
    this.#drainRequested = true;
    this.#draining ??= this.#drainLoop()
      .catch((error: unknown) => this.options.logger.error({ err: describeError(error) }, 'fleet outbox not sent'))
      .finally(() => {
        this.#draining = undefined;
      });
  }

  async #drainLoop(): Promise<void> {
    const outbox = this.#outbox;
    const alerts = this.#alerts;
    while (this.#drainRequested && outbox && alerts) {
      this.#drainRequested = false;
      for (;;) {
        const publisher = this.#publisher;
        if (!publisher || this.#state !== 'connected') return;
        const batch = await outbox.pending(0, 100);
        if (batch.length === 0) break;
        for (const entry of batch) {
          let event: ReturnType<typeof roomEventOf> | undefined;
          try {
            event = roomEventOf(entry);
            await publisher.event(event);
          } catch (error) {
            if (error instanceof SchemaError) {
              // An entry that can never be sent would hold back every later one: logged, then dropped.
              this.options.logger.error(
                { seq: entry.seq, topic: entry.topic, err: error.message },
                'fleet event does not fit the schema: dropped',
              );
              await outbox.acknowledge(entry.seq);
              continue;
            }
            this.options.logger.debug(
              { seq: entry.seq, err: describeError(error) },
              'fleet event not acknowledged yet',
            );
            this.#retrySoon();
            return;
          }
          if (event.alert) {
            await alerts.apply(event);
            this.#openAlerts = await alerts.count();
            this.#stateSoon();
          }
          await outbox.acknowledge(entry.seq);
        }
      }
    }
  }

  #retrySoon(): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => this.#drain(), 1000);
    this.#retry.unref?.();
  }

  #stateSoon(delayMs = 1000): void {
    if (this.#stateTimer && delayMs > 0) return;
    clearTimeout(this.#stateTimer);
    this.#stateTimer = setTimeout(() => {
      this.#stateTimer = undefined;
      this.#writeState();
    }, delayMs);
    this.#stateTimer.unref?.();
  }

  #writeState(): void {
    this.#stateRequested = true;
    this.#stateWriting ??= (async () => {
      while (this.#stateRequested) {
        this.#stateRequested = false;
        const publisher = this.#publisher;
        if (!publisher || this.#state !== 'connected') return;
        const state = await this.#roomState();
        const key = JSON.stringify({ ...state, at: undefined });
        if (
          key === this.#lastState &&
          Date.now() - this.#lastStateAt < this.options.config.keepalive.stateEveryMinutes * 60_000
        )
          continue;
        await publisher.state(state);
        this.#lastState = key;
        this.#lastStateAt = Date.now();
      }
    })()
      .catch((error: unknown) => this.options.logger.debug({ err: describeError(error) }, 'room state not written'))
      .finally(() => {
        this.#stateWriting = undefined;
      });
  }

  async #roomState(): Promise<RoomState> {
    const now = Date.now();
    const active = this.options.sessions.activeSession();
    if (active && this.#live?.sessionId !== active.id)
      this.#live = { sessionId: active.id, since: new Date().toISOString() };
    if (!active) this.#live = null;
    const health = this.options.health().status;
    const nextSession = await this.#nextSession(now);
    return {
      v: 1,
      at: new Date().toISOString(),
      version: this.options.version.slice(0, 40),
      health: health === 'ok' ? 'ok' : health === 'failed' ? 'failed' : 'degraded',
      live: this.#live,
      nextSession,
      lastReadiness: this.#lastReadiness,
      openAlerts: this.#openAlerts,
      roomName: this.options.room.name.slice(0, 100),
    };
  }

  async #nextSession(now: number): Promise<RoomState['nextSession']> {
    const { sessions, readiness } = this.options;
    const next = nextSessionSlot(await sessions.listSchedule({ from: new Date(now).toISOString() }), now);
    return nextSessionState(next, next ? await readiness.runsFor(next.id) : []);
  }

  #handlers(): CommandHandlers {
    const { sessions, readiness, logger, config, version } = this.options;
    return {
      ping: async () => ({
        at: new Date().toISOString(),
        uptimeS: Math.round(process.uptime()),
        version: version.slice(0, 40),
      }),
      'run-readiness': async ({ sessionId }) => {
        try {
          const run = await readiness.run({ sessionId, kind: 'on-demand', trigger: 'fleet' });
          return { runId: run.id, overall: run.overall, startedAt: run.startedAt, finishedAt: run.finishedAt };
        } catch (error) {
          if (error instanceof SessionError && error.kind === 'conflict')
            throw new CommandRefused('refused', error.message);
          throw error;
        }
      },
      'push-schedule': async (payload) => {
        try {
          return await sessions.upsertFromFleet(payload);
        } catch (error) {
          if (error instanceof SessionError) {
            const details = Array.isArray(error.details)
              ? `: ${(error.details as { path: string; message: string }[]).map((d) => `${d.path}: ${d.message}`).join('; ')}`
              : '';
            throw new CommandRefused('refused', `${error.message}${details}`.slice(0, 480));
          }
          throw error;
        }
      },
      'recent-logs': async ({ lines }) => {
        const recent = this.options.recentLogs;
        if (!recent)
          throw new CommandRefused(
            'refused',
            'this daemon keeps no recent log lines (read the journal at the device: journalctl -u diemcau)',
          );
        return boundLogLines(recent(lines));
      },
      reboot: async ({ reason }) => {
        const live = sessions.activeSession();
        if (live)
          throw new CommandRefused(
            'refused',
            'Phòng đang có buổi tiếp công dân: không khởi động lại trong buổi tiếp. / A reception session is live: the room does not reboot during a session.',
          );
        const at = new Date().toISOString();
        logger.warn({ reason }, 'reboot requested by central monitoring');
        const reboot = this.options.reboot ?? ((why: string) => rebootWith(config.rebootCommand, why, logger));
        // After the reply has gone out.
        setTimeout(
          () => void reboot(reason).catch((error: unknown) => logger.error({ err: String(error) }, 'reboot failed')),
          500,
        ).unref();
        return { at };
      },
      update: async ({ url }) => {
        const update = this.options.update;
        if (!update) throw new CommandRefused('refused', 'this daemon does not take updates');
        try {
          const status = await update.request({ url }, { via: 'fleet', actor: 'central-monitoring' });
          return { updateId: status.id, state: status.state };
        } catch (error) {
          const refusal = error as { kind?: string; problem?: string; message?: string };
          if (refusal.kind === 'conflict')
            throw new CommandRefused(
              refusal.problem === 'busy' ? 'busy' : 'refused',
              `${refusal.problem}: ${refusal.message}`.slice(0, 480),
            );
          if (refusal.kind === 'invalid') throw new CommandRefused('refused', String(refusal.message).slice(0, 480));
          throw error;
        }
      },
    };
  }
}

async function rebootWith(command: readonly string[], reason: string, logger: Logger): Promise<void> {
  if (command.length === 0) {
    logger.warn({ reason }, 'reboot not performed: fleet.rebootCommand is empty (simulation)');
    return;
  }
  const outcome = await runCommand(command);
  if (!outcome.ok) logger.error({ command, outcome: outcome.detail }, 'reboot command failed');
}

function readinessSummary(run: ReadinessRun): RoomState['lastReadiness'] {
  return { runId: run.id, kind: run.kind, overall: run.overall, finishedAt: run.finishedAt };
}
