import { connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { waitForJetStream } from './cluster.js';
import { ensureCentralStreams } from './streams.js';

/**
 * As the central admin: creates or updates the streams and the rooms bucket, then hangs up. A cluster
 * (replicas > 1) first needs its JetStream meta leader elected, so that case waits for it.
 */
export async function prepareCentralStreams(
  layout: { adminSeedFile: string; caFile: string },
  servers: string | string[],
  options: { replicas?: number } = {},
): Promise<void> {
  const admin = await connectVerified({
    servers,
    user: await readUserCredential(layout.adminSeedFile),
    caFile: layout.caFile,
  });
  try {
    if ((options.replicas ?? 1) > 1) await waitForJetStream(admin);
    await ensureCentralStreams(admin, options);
  } finally {
    await admin.close();
  }
}
