import { createRequire } from 'node:module';

/** The parts of gstreamer-superficial the worker uses (the package ships no types). */
export interface GstElement {
  [property: string]: unknown;
  pull?(callback: (buffer: Buffer | null | undefined, caps?: unknown) => void): void;
}

export type BusMessage = Record<string, unknown> & { type: string; name?: string; _src_element_name?: string };

export interface GstPipeline {
  play(): void;
  pause(): void;
  stop(): void;
  sendEOS(): void;
  findChild(name: string): GstElement | undefined;
  pollBus(callback: (message: BusMessage) => void): void;
  'auto-flush-bus': boolean;
}

interface Binding {
  Pipeline: new (launch: string) => GstPipeline;
}

let binding: Binding | undefined;

/**
 * Loaded on first use, inside the worker only: the binding must never load in the daemon, and
 * UV_THREADPOOL_SIZE must already be in the environment (the supervisor sets it at fork).
 */
export function createPipeline(launch: string): GstPipeline {
  binding ??= createRequire(import.meta.url)('gstreamer-superficial') as Binding;
  const pipeline = new binding.Pipeline(launch);
  // Keep messages queued across NULL so a bus poll blocked in the pool always wakes and ends.
  pipeline['auto-flush-bus'] = false;
  return pipeline;
}
