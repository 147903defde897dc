/**
 * Every API error in Vietnamese words (or English), from the catalogue: by its code, with the
 * fields of a refused body or config named. Pure: tested without a browser.
 */
import type { Language } from '../../messages/label.js';
import { ApiError } from './api.js';
import { known, say, type Key } from './words.js';

interface Issue {
  path?: string;
  code?: string;
  message?: string;
  minimum?: number | string;
  maximum?: number | string;
  expected?: string;
  values?: unknown[];
}

const issues = (details: unknown): Issue[] => (Array.isArray(details) ? (details as Issue[]) : []);

/** One problem of a config the schema refused, as a sentence. */
export function configIssueText(issue: Issue, language: Language): string {
  const path = issue.path || say('issueRootPath', language);
  const expectedKey = `expected_${issue.expected}`;
  const expected = known(expectedKey) ? say(expectedKey, language) : String(issue.expected ?? '');
  const code = `issue_${issue.code}`;
  const values = {
    path,
    minimum: String(issue.minimum ?? ''),
    maximum: String(issue.maximum ?? ''),
    expected,
    values: (issue.values ?? []).map(String).join(', '),
  };
  return say(known(code) ? code : 'issue_other', language, values);
}

export function errorText(error: unknown, language: Language): string {
  if (!(error instanceof ApiError)) return say('err_generic', language);
  const details = error.details as Record<string, unknown> | undefined;
  // A start refused by its window carries its own code (start_too_early, start_too_late).
  const inner = typeof details?.code === 'string' ? `err_${details.code}` : undefined;
  if (inner && known(inner)) return say(inner, language);
  if (error.code === 'invalid_config')
    return [
      say('err_invalid_config', language),
      ...issues(error.details).map((i) => configIssueText(i, language)),
    ].join(' ');
  if (error.code === 'invalid_body')
    return say('err_invalid_body', language, {
      fields: issues(error.details)
        .map((i) => i.path || '—')
        .join(', '),
    });
  const key = `err_${error.code}`;
  if (known(key)) return say(key as Key, language);
  // A feature that words its own refusals sends them along (the updater: no signature, a session soon, ...).
  const label = details?.label as Partial<Record<Language, unknown>> | undefined;
  if (typeof label?.[language] === 'string') return label[language] as string;
  if (error.code.startsWith('origin') || error.status === 403) return say('err_forbidden', language);
  if (error.status >= 500) return say('err_internal', language);
  return say('err_generic', language);
}
