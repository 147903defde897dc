import type { Logger } from './logger.js';
import { describeError } from '../../hal/core/describe-error.js';

export type ServiceState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

/**
 * A feature of the daemon. The constructor only stores what it is given; `start()` opens and
 * subscribes; `stop()` undoes exactly that.
 */
export interface Service {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  error?: string;
}

/** Starts services in order and stops them in reverse, each stop bounded by what is left of a deadline. */
export class ServiceHost {
  readonly #services: Service[] = [];
  readonly #states = new Map<string, ServiceStatus>();

  constructor(private readonly logger: Logger) {}

  add(service: Service): this {
    if (this.#states.has(service.name)) throw new Error(`service ${service.name} added twice`);
    this.#services.push(service);
    this.#states.set(service.name, { name: service.name, state: 'stopped' });
    return this;
  }

  statuses(): ServiceStatus[] {
    return this.#services.map((s) => ({ ...this.#states.get(s.name)! }));
  }

  /** Starts every service; if one fails, those already started are stopped again and the error is thrown. */
  async startAll(): Promise<void> {
    for (const service of this.#services) {
      this.#set(service.name, 'starting');
      const started = Date.now();
      try {
        await service.start();
        this.#set(service.name, 'running');
        this.logger.debug({ service: service.name, ms: Date.now() - started }, 'service started');
      } catch (error) {
        this.#set(service.name, 'failed', describeError(error));
        this.logger.error({ service: service.name, err: describeError(error) }, 'service failed to start');
        await this.stopAll(10_000);
        throw error;
      }
    }
  }

  /** Stops running services in reverse order. Returns false when the deadline ran out or a stop failed. */
  async stopAll(deadlineMs: number): Promise<boolean> {
    const until = Date.now() + deadlineMs;
    let clean = true;
    for (const service of [...this.#services].reverse()) {
      const state = this.#states.get(service.name)?.state;
      if (state !== 'running' && state !== 'starting') continue;
      this.#set(service.name, 'stopping');
      const remaining = Math.max(0, until - Date.now());
      const outcome = await withTimeout(service.stop(), remaining);
      if (outcome === 'done') {
        this.#set(service.name, 'stopped');
      } else {
        clean = false;
        const error = outcome === 'timeout' ? 'stop deadline exceeded' : outcome.error;
        this.#set(service.name, 'failed', error);
        this.logger.error({ service: service.name, err: error }, 'service did not stop cleanly');
      }
    }
    return clean;
  }

  #set(name: string, state: ServiceState, error?: string): void {
    this.#states.set(name, { name, state, ...(error ? { error } : {}) });
  }
}

async function withTimeout(work: Promise<void>, ms: number): Promise<'done' | 'timeout' | { error: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => 'done' as const,
        (error: unknown) => ({ error: describeError(error) }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
