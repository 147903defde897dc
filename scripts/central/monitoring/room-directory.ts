import { stat } from 'node:fs/promises';
import { readCentralRegistry, type CentralRegistry } from '../central-dir.js';
import type { CentralLayout } from '../../../config/central-layout.js';
import { roomView, sortRooms, type RoomView } from './domain/room-view.js';
import type { MonitoringStore } from './store/monitoring-db.js';

/**
 * Every registered room as the dashboard shows it: the registry (central.json, re-read when it
 * changes, so rooms added by `init` appear without a restart) joined with what the store holds.
 */
export function roomDirectory(layout: CentralLayout, store: MonitoringStore, now: () => number = Date.now) {
  let cached: { mtimeMs: number; rooms: CentralRegistry['rooms'] } | undefined;

  async function registered(): Promise<CentralRegistry['rooms']> {
    const { mtimeMs } = await stat(layout.registryFile);
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, rooms: (await readCentralRegistry(layout))?.rooms ?? [] };
    return cached.rooms;
  }

  return {
    registered,
    async all(): Promise<RoomView[]> {
      const [rooms, records] = await Promise.all([registered(), store.allRoomRecords()]);
      const at = now();
      return sortRooms(
        rooms.map((room) => {
          const r = records.get(room.id);
          return roomView(
            {
              id: room.id,
              province: room.province ?? null,
              district: room.district ?? null,
              state: r?.state,
              lastSeenAt: r?.lastSeenAt ?? null,
              openAlerts: r?.openAlerts ?? [],
              figures: r?.figures ?? null,
            },
            at,
          );
        }),
      );
    },
    async one(roomId: string): Promise<RoomView | undefined> {
      return (await this.all()).find((room) => room.id === roomId);
    },
  };
}
export type RoomDirectory = ReturnType<typeof roomDirectory>;
