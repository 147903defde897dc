import type { DriverContext } from '../../core/driver.js';
import type { DoaConfig } from '../config.js';
import type { DoaSource } from './types.js';

/** Builds the configured DOA source, or none. */
export async function createDoaSource(config: DoaConfig, context: DriverContext): Promise<DoaSource | undefined> {
  if (config.driver === 'sim') return new (await import('./sim.js')).SimDoa(context, config);
  if (config.driver === 'respeaker') return new (await import('./respeaker.js')).RespeakerDoa(context, config);
  return undefined;
}
