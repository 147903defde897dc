import { readFile } from 'node:fs/promises';
import { backoffDelay, type BackoffPolicy } from '../../../hal/core/backoff.js';
import type { Logger } from '../../core/logger.js';
import { HEARTBEAT } from '../pipelines/channels.js';
import { createPipeline, type GstPipeline } from './gst.js';
import { needsRebuildAfterOutage } from './late-links.js';
import { StallClock } from './stall-clock.js';

const STALL_CHECK_MS = 250;

export type PipelineHealth = 'stopped' | 'starting' | 'ok' | 'lost';

export interface SupervisedPipelineOptions {
  name: string;
  launch: string;
  secret?: { element: string; property: string; file: string };
  /**
   * With a heartbeat element the pipeline is up while its `progress` messages arrive, and lost when
   * they stop for `stallMs` (a source can stall without an error). Without one it is up once it has
   * played `settleMs` without an error.
   */
  heartbeat: boolean;
  stallMs?: number;
  settleMs?: number;
  backoff: BackoffPolicy;
  logger: Logger;
  onDown(reason: string, wasUp: boolean): void;
  /** Back after being lost (not called for the first start). */
  onUp(downSeconds: number): void;
  /** Every time it becomes healthy, the first time included. */
  onHealthy?(): void;
}

/**
 * One long-lived pipeline that is restarted (NULL → PLAYING, same object: the binding never frees
 * pipelines) with backoff whenever it errors, ends or stalls, until stopped.
 */
export class SupervisedPipeline {
  #pipeline: GstPipeline | undefined;
  #health: PipelineHealth = 'stopped';
  #generation = 0;
  #attempt = 0;
  #silence = new StallClock(STALL_CHECK_MS, Date.now());
  #lastPlayAt = 0;
  #downSince = 0;
  #everUp = false;
  #builds = 0;
  #retry: NodeJS.Timeout | undefined;
  #watch: NodeJS.Timeout | undefined;

  readonly #rebuildAfterOutage: boolean;

  constructor(private readonly options: SupervisedPipelineOptions) {
    this.#rebuildAfterOutage = needsRebuildAfterOutage(options.launch);
  }

  /** Pipelines built so far (each one lives as long as the worker). */
  get builds(): number {
    return this.#builds;
  }

  get health(): PipelineHealth {
    return this.#health;
  }

  async start(): Promise<void> {
    if (this.#health !== 'stopped') return;
    if (!this.#pipeline) await this.#build();
    this.#health = 'starting';
    this.#downSince = Date.now();
    this.#play();
    this.#watch = setInterval(() => this.#checkStall(), STALL_CHECK_MS);
  }

  stop(): void {
    clearTimeout(this.#retry);
    clearInterval(this.#watch);
    this.#retry = undefined;
    this.#watch = undefined;
    this.#generation++;
    this.#pipeline?.stop();
    this.#health = 'stopped';
  }

  async #build(): Promise<void> {
    const pipeline = createPipeline(this.options.launch);
    const { secret } = this.options;
    if (secret) {
      const element = pipeline.findChild(secret.element);
      if (element) element[secret.property] = (await readFile(secret.file, 'utf8')).trim();
    }
    this.#pipeline = pipeline;
    this.#builds++;
  }

  #play(): void {
    const pipeline = this.#pipeline!;
    const generation = ++this.#generation;
    this.#lastPlayAt = Date.now();
    this.#silence.beat(this.#lastPlayAt);
    pipeline.play();
    pipeline.pollBus((message) => {
      if (generation !== this.#generation) return;
      if (message.type === 'error')
        this.#down(`${message._src_element_name ?? 'element'}: ${String(message.message ?? 'error')}`);
      else if (message.type === 'eos') this.#down('stream ended');
      else if (message.name === 'progress' && message._src_element_name === HEARTBEAT) this.#beat();
    });
  }

  #beat(): void {
    this.#silence.beat(Date.now());
    if (this.#health === 'ok') return;
    this.#up();
  }

  #up(): void {
    const downSeconds = (Date.now() - this.#downSince) / 1000;
    const wasRecovery = this.#everUp || this.#health === 'lost';
    this.#health = 'ok';
    this.#everUp = true;
    this.#attempt = 0;
    this.options.logger.info(
      { pipeline: this.options.name, downSeconds },
      wasRecovery ? 'pipeline restored' : 'pipeline up',
    );
    if (wasRecovery) this.options.onUp(downSeconds);
    this.options.onHealthy?.();
  }

  #checkStall(): void {
    const now = Date.now();
    if (this.#health === 'stopped' || this.#retry) return;
    const silentMs = this.#silence.silentFor(now);
    if (this.options.heartbeat) {
      const limit = this.options.stallMs ?? 3000;
      if (silentMs > limit) this.#down(`no media for ${Math.round(limit / 100) / 10} s`);
    } else if (this.#health !== 'ok' && now - this.#lastPlayAt > (this.options.settleMs ?? 2000)) {
      this.#up();
    }
  }

  #down(reason: string): void {
    if (this.#health === 'stopped' || this.#retry) return;
    const wasUp = this.#health === 'ok';
    if (wasUp) this.#downSince = Date.now();
    const firstReport = this.#health !== 'lost';
    this.#health = 'lost';
    this.#generation++;
    this.#pipeline?.stop();
    const delay = backoffDelay(this.#attempt++, this.options.backoff);
    // A launch string's links to pads that appear later (rtspsrc, decodebin) are made once, the first
    // time those pads appear: a source that was up comes back with new pads nobody links. So such a
    // pipeline that was up is built again from its launch string; failed attempts in between reuse it.
    // The binding never frees a pipeline, so a rebuild costs one pipeline for the worker's life: one
    // with static links (a test source, v4l2, a JPEG file loop) is always replayed as it is, or a
    // camera that stalls now and then on a loaded board grows the worker without bound.
    const rebuild = wasUp && this.#rebuildAfterOutage;
    this.options.logger.warn(
      { pipeline: this.options.name, reason, retryMs: delay, rebuild, builds: this.#builds },
      'pipeline down, retrying',
    );
    if (firstReport) this.options.onDown(reason, wasUp);
    this.#retry = setTimeout(() => {
      void (async () => {
        if (rebuild)
          await this.#build().catch((error: unknown) =>
            this.options.logger.warn(
              { pipeline: this.options.name, err: String(error) },
              'pipeline rebuild failed; retrying the old one',
            ),
          );
        this.#retry = undefined;
        if (this.#health === 'stopped') return;
        this.#play();
      })();
    }, delay);
  }
}
