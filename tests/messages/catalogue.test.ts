import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glossary } from '../../kiosk/messages/glossary.js';
import type { Label } from '../../kiosk/messages/label.js';
import { consoleMessages, messages } from '../../kiosk/messages/pages.js';
import { readinessDeviceNames, readinessMessages } from '../../kiosk/messages/readiness.js';
import {
  caseTypeLabels,
  citizenRoleLabels,
  sessionEventLabels,
  sessionStateLabels,
} from '../../kiosk/messages/session.js';
import { storageMessages } from '../../kiosk/messages/storage.js';
import { updateProblemLabels, updateStateLabels } from '../../kiosk/messages/update.js';
import { messages as centralMessages } from '../../scripts/central/monitoring/ui/messages.js';

const catalogues: Record<string, Record<string, Label>> = {
  'pages.messages': messages,
  'pages.consoleMessages': consoleMessages,
  'session.states': sessionStateLabels,
  'session.events': sessionEventLabels,
  'session.caseTypes': caseTypeLabels,
  'session.citizenRoles': citizenRoleLabels,
  'readiness.devices': readinessDeviceNames,
  readiness: readinessMessages,
  storage: storageMessages,
  'update.states': updateStateLabels,
  'update.problems': updateProblemLabels,
  central: centralMessages,
};

const entries = Object.entries(catalogues).flatMap(([name, catalogue]) =>
  Object.entries(catalogue).map(([key, label]) => ({ where: `${name}.${key}`, label })),
);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('message catalogue', () => {
  it('has every key in Vietnamese and in English, with the same placeholders', () => {
    expect(entries.length).toBeGreaterThan(500);
    const incomplete = entries.filter(({ label }) => !label.vi?.trim() || !label.en?.trim()).map((e) => e.where);
    expect(incomplete).toEqual([]);
    // A readiness check's English may add the technical detail (a driver's status, an error) the officer does not need.
    const agree = (where: string, vi: string[], en: string[]) =>
      where.startsWith('readiness.') ? vi.every((name) => en.includes(name)) : vi.join() === en.join();
    const mismatched = entries
      .filter(({ where, label }) => !agree(where, placeholders(label.vi), placeholders(label.en)))
      .map((e) => e.where);
    expect(mismatched).toEqual([]);
  });

  it('uses the glossary terms, never their variants, in Vietnamese', () => {
    const variants = glossary.flatMap((term) => (term.avoid ?? []).map((pattern) => ({ term: term.vi, pattern })));
    expect(variants.length).toBeGreaterThan(5);
    const offences = entries.flatMap(({ where, label }) =>
      variants.filter(({ pattern }) => pattern.test(label.vi)).map(({ term }) => `${where}: "${label.vi}" (${term})`),
    );
    expect(offences).toEqual([]);
  });

  it('the glossary check catches a variant and spares the words it allows', () => {
    const caught = (text: string) => glossary.some((term) => term.avoid?.some((pattern) => pattern.test(text)));
    expect(caught('Bắt đầu phiên')).toBe(true);
    expect(caught('Gọi kỹ thuật viên')).toBe(true);
    expect(caught('Tắt tiếng micro')).toBe(true);
    expect(caught('Đã hủy')).toBe(true);
    expect(caught('Phiên bản đang chạy')).toBe(false);
    expect(caught('Phiên đăng nhập đã hết')).toBe(false);
    expect(caught('Tắt tiếng micrô')).toBe(false);
    expect(caught('Giám sát trung tâm')).toBe(false);
  });

  it('gives a state, a case type and a citizen role the same words on the server and on the pages', () => {
    for (const [state, label] of Object.entries(sessionStateLabels))
      expect(messages[`state_${state}` as keyof typeof messages], state).toEqual(label);
    for (const [type, label] of Object.entries(caseTypeLabels))
      expect(consoleMessages[`caseType_${type}` as keyof typeof consoleMessages], type).toEqual(label);
    for (const [role, label] of Object.entries(citizenRoleLabels))
      expect(consoleMessages[`citizenRole_${role}` as keyof typeof consoleMessages], role).toEqual(label);
  });
});

/**
 * Files that still spell a Vietnamese sentence of their own, outside the catalogue: the list may
 * only shrink. CLI prompts and fixtures (names of places, sample passwords) are on it too.
 */
const notYetInTheCatalogue = [
  'hal/ptz/onvif/emulator.ts',
  'kiosk/auth/middleware.ts',
  'kiosk/auth/roles.ts',
  'kiosk/auth/routes.ts',
  'kiosk/cli/record.ts',
  'kiosk/cli/user.ts',
  'kiosk/cli/verify.ts',
  'kiosk/evidence/routes.ts',
  'kiosk/fleet/fleet-service.ts',
  'kiosk/media/pipelines/program.ts',
  'kiosk/ptz/migration.ts',
  'kiosk/recording/test-recording.ts',
  'kiosk/ui/console/app.ts',
  'kiosk/web/metrics.ts',
  'scripts/bench/kiosk-tap.ts',
  'scripts/bench/soak.ts',
  'scripts/central/init.ts',
  'scripts/central/monitoring/measure.ts',
  'scripts/central/monitoring/run.ts',
  'scripts/central/monitoring/ui/app.ts',
  'scripts/central/monitoring/ui/messages.ts',
  'scripts/central/server-config.ts',
];

describe('sentences written inline', () => {
  const vietnamese = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;
  const literal = /'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g;
  const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sources(path);
      return entry.name.endsWith('.ts') ? [path] : [];
    });

  it('come only from the catalogue (kiosk/messages), apart from the files still listed', () => {
    const spelling = ['kiosk', 'hal', 'scripts']
      .flatMap(sources)
      .filter((path) => !path.startsWith('kiosk/messages/'))
      .filter((path) =>
        (withoutComments(readFileSync(path, 'utf8')).match(literal) ?? []).some((s) => vietnamese.test(s)),
      );
    expect(spelling.filter((path) => !notYetInTheCatalogue.includes(path))).toEqual([]);
    // A file that no longer spells one leaves the list.
    expect(notYetInTheCatalogue.filter((path) => !spelling.includes(path))).toEqual([]);
  });
});
