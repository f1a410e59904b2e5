import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Message types of the y-websocket protocol (y-websocket's own numbering). */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;

/** Sub-types of a sync message (y-protocols/sync). */
export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const;

export function syncStep2Message(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncType.Step2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function syncStep1Message(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncType.Step1);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncType.Update);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function awarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, awarenessUpdate);
  return encoding.toUint8Array(encoder);
}

/** An awareness message with no entries: keeps an idle client from timing out, changes nothing. */
export const EMPTY_AWARENESS_MESSAGE = awarenessMessage(new Uint8Array([0]));

/** A decoded client message; anything malformed becomes `invalid` rather than an exception. */
export type ClientMessage =
  | { type: 'syncStep1'; stateVector: Uint8Array }
  | { type: 'syncStep2' | 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'queryAwareness' }
  | { type: 'ignored' }
  | { type: 'invalid'; reason: string };

export function decodeClientMessage(data: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === SyncType.Step1) return { type: 'syncStep1', stateVector: payload };
        if (syncType === SyncType.Step2) return { type: 'syncStep2', update: payload };
        if (syncType === SyncType.Update) return { type: 'update', update: payload };
        return { type: 'invalid', reason: `Unknown sync message type ${syncType}.` };
      }
      case MessageType.Awareness:
        return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
      case MessageType.QueryAwareness:
        return { type: 'queryAwareness' };
      case MessageType.Auth:
        // Authentication happens at the upgrade; a client's auth message carries nothing we act on.
        return { type: 'ignored' };
      default:
        return { type: 'invalid', reason: `Unknown message type ${type}.` };
    }
  } catch {
    return { type: 'invalid', reason: 'The message could not be decoded.' };
  }
}
