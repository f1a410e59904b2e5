import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { FanOutMessage } from './FanOut.js';

/**
 * The bytes of one fan-out message on the wire: binary (updates and frames are never re-encoded as
 * text), versioned, and stamped with the sending process so that it can ignore its own messages
 * (Redis delivers a publisher's message to its own subscriptions too).
 */

const VERSION = 1;
const KIND_UPDATE = 1;
const KIND_PRESENCE = 2;
const KIND_FORWARD = 3;
const KIND_REPLY = 4;
const KIND_RPC = 5;
const KIND_ROUND_CHANGED = 6;

export interface Envelope {
  sender: string;
  message: FanOutMessage;
}

export function encodeEnvelope(sender: string, message: FanOutMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, VERSION);
  encoding.writeVarString(encoder, sender);
  switch (message.kind) {
    case 'update':
      encoding.writeVarUint(encoder, KIND_UPDATE);
      if (message.position) {
        encoding.writeVarUint(encoder, 1);
        encoding.writeVarUint(encoder, message.position.epoch);
        encoding.writeVarUint(encoder, message.position.seq);
      } else encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint8Array(encoder, message.update);
      break;
    case 'presence':
      encoding.writeVarUint(encoder, KIND_PRESENCE);
      encoding.writeVarUint8Array(encoder, message.frame);
      break;
    case 'forward':
      encoding.writeVarUint(encoder, KIND_FORWARD);
      encoding.writeVarString(encoder, message.to);
      encoding.writeVarString(encoder, message.connectionId);
      encoding.writeVarString(encoder, message.userId);
      encoding.writeVarUint8Array(encoder, message.message);
      break;
    case 'reply':
      encoding.writeVarUint(encoder, KIND_REPLY);
      encoding.writeVarString(encoder, message.to);
      encoding.writeVarString(encoder, message.connectionId);
      encoding.writeVarUint(encoder, message.code);
      encoding.writeVarString(encoder, message.reason);
      break;
    case 'rpc':
      encoding.writeVarUint(encoder, KIND_RPC);
      encoding.writeVarString(encoder, message.id);
      encoding.writeVarString(encoder, message.from);
      encoding.writeVarUint(encoder, message.reply ? 1 : 0);
      encoding.writeVarUint8Array(encoder, message.payload);
      break;
    case 'roundChanged':
      encoding.writeVarUint(encoder, KIND_ROUND_CHANGED);
      encoding.writeVarString(encoder, message.documentId);
      break;
  }
  return encoding.toUint8Array(encoder);
}

/** The message in `bytes`, or null when they are not one (truncated, unknown version or kind, trailing bytes). */
export function decodeEnvelope(bytes: Uint8Array): Envelope | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarUint(decoder) !== VERSION) return null;
    const sender = decoding.readVarString(decoder);
    let message: FanOutMessage;
    switch (decoding.readVarUint(decoder)) {
      case KIND_UPDATE: {
        const positioned = decoding.readVarUint(decoder);
        if (positioned !== 0 && positioned !== 1) return null;
        const position = positioned === 1 ? { epoch: readCount(decoder), seq: readCount(decoder) } : undefined;
        const update = copy(decoding.readVarUint8Array(decoder));
        message = position ? { kind: 'update', update, position } : { kind: 'update', update };
        break;
      }
      case KIND_PRESENCE:
        message = { kind: 'presence', frame: copy(decoding.readVarUint8Array(decoder)) };
        break;
      case KIND_FORWARD:
        message = {
          kind: 'forward',
          to: decoding.readVarString(decoder),
          connectionId: decoding.readVarString(decoder),
          userId: decoding.readVarString(decoder),
          message: copy(decoding.readVarUint8Array(decoder)),
        };
        break;
      case KIND_REPLY:
        message = {
          kind: 'reply',
          to: decoding.readVarString(decoder),
          connectionId: decoding.readVarString(decoder),
          code: readCount(decoder),
          reason: decoding.readVarString(decoder),
        };
        break;
      case KIND_RPC: {
        const id = decoding.readVarString(decoder);
        const from = decoding.readVarString(decoder);
        const reply = decoding.readVarUint(decoder);
        if (reply !== 0 && reply !== 1) return null;
        message = { kind: 'rpc', id, from, reply: reply === 1, payload: copy(decoding.readVarUint8Array(decoder)) };
        break;
      }
      case KIND_ROUND_CHANGED:
        message = { kind: 'roundChanged', documentId: decoding.readVarString(decoder) };
        break;
      default:
        return null;
    }
    if (decoding.hasContent(decoder)) return null;
    return { sender, message };
  } catch {
    return null;
  }
}

function readCount(decoder: decoding.Decoder): number {
  const n = decoding.readVarUint(decoder);
  if (!Number.isSafeInteger(n)) throw new Error('out of range');
  return n;
}

/** A view into a pooled receive buffer must not outlive it: listeners may keep what they are given. */
function copy(view: Uint8Array): Uint8Array {
  return new Uint8Array(view);
}
