import { z } from 'zod';

/** Messages a kiosk or console client may send over the websocket. */
export const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id: z.string().max(64).optional() }).strict(),
  z
    .object({
      type: z.literal('subscribe'),
      topics: z
        .array(z.enum(['health']))
        .min(1)
        .max(8),
    })
    .strict(),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export type ServerMessage =
  | { type: 'pong'; id?: string }
  | { type: 'health'; data: unknown }
  | { type: 'error'; error: { code: string; message: string } };

/** Parses one frame; never throws: a bad frame becomes an error reply and the connection stays. */
export function parseClientMessage(
  raw: string,
): { ok: true; message: ClientMessage } | { ok: false; error: ServerMessage } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {
      ok: false,
      error: { type: 'error', error: { code: 'malformed_json', message: 'message is not valid JSON' } },
    };
  }
  const result = clientMessage.safeParse(json);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ');
    return { ok: false, error: { type: 'error', error: { code: 'invalid_message', message: detail } } };
  }
  return { ok: true, message: result.data };
}
