import type { Migration } from '../store/migration.js';
import { anchorsMigrationSql } from './anchoring.js';
import { fleetLifetimeSeqMigrationSql, fleetMigrationSql } from './outbox.js';
import { fleetOpenAlertsMigrationSql } from './room-state/open-alerts.js';

export const fleetMigrations: readonly Migration[] = [
  { version: 6, name: 'fleet: outbox of events for the monitoring hub', sql: fleetMigrationSql },
  { version: 9, name: "fleet: evidence anchors waiting for central monitoring's receipt", sql: anchorsMigrationSql },
  {
    version: 10,
    name: 'fleet: message ids unique across database recreations, alerts still open',
    sql: fleetLifetimeSeqMigrationSql + fleetOpenAlertsMigrationSql,
  },
];
