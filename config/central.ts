import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { centralLayout } from './central-layout.js';
import { websocketUrl } from './server-url.js';

/**
 * `npm start -- --central ./central`: the room reports to the central monitoring folder on this
 * machine (scripts/central), so its `fleet` section is filled from that folder's registry: the wss
 * listener, the room's own seed file and the dev CA. Read synchronously, like the config itself.
 */
const registryView = z.object({
  websocket: z.object({ host: z.string(), port: z.number().int() }),
  rooms: z.array(z.object({ id: z.string() })),
});

export function fleetFromCentral(
  dir: string,
  roomId: string,
): {
  problems: string[];
  fleet?: { enabled: true; servers: string[]; credentialFile: string; caFile: string; notaryKeys: string[] };
} {
  const layout = centralLayout(dir);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(layout.registryFile, 'utf8'));
  } catch (error) {
    return {
      problems: [
        `--central ${dir}: cannot read ${layout.registryFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); run npm run central first`,
      ],
    };
  }
  const registry = registryView.safeParse(json);
  if (!registry.success) return { problems: [`--central ${dir}: ${layout.registryFile} is not a central registry`] };
  const { websocket, rooms } = registry.data;
  const problems: string[] = [];
  if (!rooms.some((room) => room.id === roomId))
    problems.push(
      `--central ${dir}: room ${roomId} (room.id) is not registered there; add it: node dist/scripts/central/init.js --dir ${dir} --room ${roomId}`,
    );
  if (websocket.port <= 0)
    problems.push(
      `--central ${dir}: its websocket port is picked at start (${websocket.port}); give fleet.servers in a config instead`,
    );
  if (problems.length) return { problems };
  // The notary's public key, so the room checks its anchor receipts (none in a folder made before anchoring).
  const notaryKeys = readOptional(layout.notaryPublicNkeyFile);
  return {
    problems,
    fleet: {
      enabled: true,
      servers: [websocketUrl(websocket.host, websocket.port)],
      credentialFile: layout.roomSeedFile(roomId),
      caFile: layout.caFile,
      notaryKeys: notaryKeys ? [notaryKeys] : [],
    },
  };
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
