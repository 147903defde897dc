import { randomUUID } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { requireCapability, type AuthenticatedRequest } from '../auth/middleware.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { AuditPort } from '../session/ports.js';
import { DomainError } from '../core/domain-error.js';
import type { Database } from '../store/database.js';
import { callEvent, callToShow, type TechnicianCall, type TechnicianCallSource } from './technician-call.js';
import { TechnicianCallRepository } from './technician-call-repository.js';

export interface TechnicianCallServiceOptions {
  bus: EventBus;
  logger: Logger;
  /** The device database, open once the store has started: calls outlive a restart. */
  db: () => Database;
  /** Every acknowledgement is written to the evidence store's audit log. */
  audit: AuditPort;
  /** The session live now, if any (the call is noted in its timeline). */
  liveSession: () => { id: string } | null;
  now?: () => Date;
}

/** How many calls the console lists; older ones are in the audit log and central monitoring. */
const KEPT = 50;
/** The touchscreen shows "Cán bộ kỹ thuật đã nhận" this long after the acknowledgement. */
const SHOW_ACKNOWLEDGED_MS = 10 * 60_000;

const callId = z.string().uuid();

/**
 * Calls for the technician: raised from the touchscreen (always, with or without a session) or the
 * room's button, acknowledged from the console, forwarded to central monitoring through the bus.
 * Kept in the device database: a call still waiting after a restart is still shown and can be acknowledged.
 */
export class TechnicianCallService implements Service {
  readonly name = 'technician-calls';
  #calls: TechnicianCallRepository | undefined;
  #disposers: (() => void)[] = [];

  constructor(private readonly options: TechnicianCallServiceOptions) {}

  get #now(): Date {
    return this.options.now?.() ?? new Date();
  }

  get #store(): TechnicianCallRepository {
    if (!this.#calls) throw new Error('technician calls used before start');
    return this.#calls;
  }

  async start(): Promise<void> {
    this.#calls = new TechnicianCallRepository(this.options.db(), KEPT);
    this.#disposers.push(
      this.options.bus.on('roomButton', (button) => {
        if (button !== 'callTechnician') return;
        this.raise('room-button').catch((error: unknown) =>
          this.options.logger.error({ err: error }, 'technician call from the room button not stored'),
        );
      }),
    );
  }

  async stop(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
  }

  /** Raises a call, or returns the one already waiting: pressing again does not page twice. */
  async raise(source: TechnicianCallSource): Promise<TechnicianCall> {
    const { call, created } = await this.#store.insertUnlessWaiting({
      id: randomUUID(),
      source,
      sessionId: this.options.liveSession()?.id ?? null,
      raisedAt: this.#now.toISOString(),
      state: 'waiting',
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
    if (!created) return call;
    this.options.logger.warn({ callId: call.id, source, sessionId: call.sessionId }, 'technician called');
    this.options.bus.emit('technicianCall', callEvent(call));
    return call;
  }

  /** Audited first: an acknowledgement the audit log cannot hold is refused. */
  async acknowledge(id: string, actor: { user: string; role: string }): Promise<TechnicianCall> {
    const call = await this.#store.get(id);
    if (!call) throw new DomainError('not-found', 'not_found', 'no such technician call');
    if (call.state === 'acknowledged') return call;
    await this.options.audit.record({
      actor: actor.user,
      role: actor.role,
      action: 'technician-call-acknowledged',
      target: `technician-call:${id}`,
      ...(call.sessionId ? { detail: `session:${call.sessionId}` } : {}),
    });
    const at = this.#now.toISOString();
    // Acknowledged meanwhile by someone else: theirs is the acknowledgement the bus was told of.
    if (!(await this.#store.acknowledge(id, at, actor.user))) return (await this.#store.get(id)) ?? call;
    const acknowledged: TechnicianCall = {
      ...call,
      state: 'acknowledged',
      acknowledgedAt: at,
      acknowledgedBy: actor.user,
    };
    this.options.logger.info({ callId: id, actor: actor.user }, 'technician call acknowledged');
    this.options.bus.emit('technicianCall', callEvent(acknowledged));
    return acknowledged;
  }

  async list(): Promise<TechnicianCall[]> {
    return (await this.#store.recent()).reverse();
  }

  /** The touchscreen's calls (127.0.0.1): raise one, and see whether it was acknowledged. */
  kioskRouter(): express.Router {
    const router = express.Router();
    router.get('/technician-call', async (_req, res) => {
      const call = callToShow(await this.#store.recent(), this.#now.getTime(), SHOW_ACKNOWLEDGED_MS);
      res.json({ call: call ? callEvent(call) : null });
    });
    router.post('/technician-call', async (_req, res) => {
      res.status(201).json({ call: callEvent(await this.raise('kiosk')) });
    });
    return router;
  }

  /** The console's calls: the technician lists and acknowledges (devices.manage). */
  consoleRouter(): express.Router {
    const router = express.Router();
    router.use('/technician-calls', requireCapability('devices.manage'));
    router.get('/technician-calls', async (_req, res) => {
      res.json({ calls: await this.list() });
    });
    router.post('/technician-calls/:id/acknowledge', async (req, res) => {
      const id = callId.safeParse(req.params.id);
      if (!id.success) throw new DomainError('invalid', 'bad_request', 'bad technician call id');
      const actor = (req as AuthenticatedRequest).auth!;
      res.json({ call: await this.acknowledge(id.data, actor) });
    });
    return router;
  }
}
