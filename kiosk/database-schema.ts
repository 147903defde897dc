import { authMigrations } from './auth/migration.js';
import { evidenceMigrations } from './evidence/migration.js';
import { fleetMigrations } from './fleet/migration.js';
import { ptzMigrations } from './ptz/migration.js';
import { roomMigrations } from './room/migration.js';
import { sessionMigrations } from './session/migration.js';
import { orderMigrations } from './store/migration.js';
import { storeMigrations } from './store/migrations.js';

/** The device database's schema: every feature's migrations, in order (a feature adds its list here). */
export const migrations = orderMigrations(
  storeMigrations,
  evidenceMigrations,
  sessionMigrations,
  ptzMigrations,
  authMigrations,
  fleetMigrations,
  roomMigrations,
);
