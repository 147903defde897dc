import { ANCHORS_STREAM, subjects } from '../../kiosk/fleet/nats/subjects.js';

/** A user's subject permissions as nats-server's config spells them. Pure. */
export type Permissions = {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[] };
  allow_responses?: { max: number; expires: string };
};

/**
 * A room publishes under its own subjects (its anchors among them), writes its own KV key and asks
 * the notary for its own receipts, and nothing else: not another room's subjects, not the
 * JetStream API (so it can read no stream). It receives its own commands
 * and the replies to its own requests (its JetStream acknowledgements) on its own inbox prefix, and
 * may answer a command once, on that command's reply subject, within 5 minutes (a readiness test
 * takes a few).
 */
export function roomPermissions(roomId: string): Permissions {
  return {
    publish: { allow: [subjects.roomAll(roomId), subjects.stateKey(roomId), subjects.notaryReceipt(roomId)] },
    subscribe: { allow: [subjects.commands(roomId), subjects.inbox(roomId)] },
    allow_responses: { max: 1, expires: '5m' },
  };
}

/**
 * Central monitoring reads everything and sends commands; it reads streams through consumers, but
 * cannot create, change, purge or delete a stream (that is the admin credential's, used at set-up), and
 * cannot publish as a room or write a room's state. It answers a room's notary request once, on that
 * request's reply subject, within a minute (the receipt: the notary reads the anchor by sequence).
 */
export function monitoringPermissions(): Permissions {
  return {
    publish: {
      allow: [
        subjects.allCommands,
        '$JS.API.INFO',
        '$JS.API.STREAM.NAMES',
        '$JS.API.STREAM.LIST',
        '$JS.API.STREAM.INFO.*',
        '$JS.API.STREAM.MSG.GET.*',
        '$JS.API.DIRECT.GET.>',
        '$JS.API.CONSUMER.>',
        '$JS.ACK.>',
        '$JS.FC.>',
      ],
    },
    subscribe: { allow: ['>'] },
    allow_responses: { max: 1, expires: '1m' },
  };
}

/**
 * The set-up credential manages streams and the bucket, but even it cannot delete the anchors stream
 * as a whole: the stream's own deny_delete and deny_purge guard its messages, this guards the stream.
 * (Removing it takes editing the server config, which the server's owner does in the open.)
 */
export function adminPermissions(): Permissions {
  return {
    publish: { allow: ['>'], deny: [`$JS.API.STREAM.DELETE.${ANCHORS_STREAM}`] },
    subscribe: { allow: ['>'] },
  };
}
