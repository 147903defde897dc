import { z } from 'zod';
import { ageRecipientProblem } from './age-recipient.js';

/**
 * `evidence.export` in the device config: who may open confidential exports, and how long an
 * export may take. Recipients are the age public keys (`age1…`, from `age-keygen`) of the authority
 * that handles denunciations; with none, a confidential recording can be exported only by a role
 * that may choose a passphrase.
 */
const recipient = z
  .object({
    /** Who holds the matching identity, for people reading the export (e.g. "Thanh tra tỉnh"). */
    name: z.string().min(1).max(200),
    publicKey: z.string().superRefine((key, ctx) => {
      const problem = ageRecipientProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  })
  .strict();

export const exportConfig = z
  .object({
    recipients: z
      .array(recipient)
      .max(20)
      .default([])
      .refine((list) => new Set(list.map((r) => r.publicKey)).size === list.length, {
        message: 'the same public key is listed twice',
      }),
    /** An export still running after this is stopped and its partial copy removed. */
    timeoutSeconds: z
      .number()
      .int()
      .min(10)
      .max(24 * 3600)
      .default(2 * 3600),
  })
  .strict();

export type ExportConfig = z.infer<typeof exportConfig>;
