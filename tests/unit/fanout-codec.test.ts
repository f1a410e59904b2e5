import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../../server/fanout/codec.js';
import type { FanOutMessage } from '../../server/fanout/FanOut.js';

const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('fan-out wire format', () => {
  const messages: FanOutMessage[] = [
    { kind: 'update', update: everyByte },
    { kind: 'update', update: everyByte, position: { epoch: 7, seq: Number.MAX_SAFE_INTEGER } },
    { kind: 'presence', frame: new Uint8Array([1, 0, 255, 13, 10]) },
    { kind: 'forward', to: 'owner-process', connectionId: 'c-1', userId: 'u-é', message: everyByte },
    { kind: 'reply', to: 'replica-process', connectionId: 'p|c-1', code: 4400, reason: 'Refusé : texte officiel.' },
    { kind: 'rpc', id: 'r-1', from: 'replica-process', reply: true, payload: everyByte },
    { kind: 'roundChanged', documentId: 'gb-350-é' },
  ];

  it.each(messages.map((m) => [m.kind, m] as const))('carries a %s message byte for byte', (_kind, message) => {
    const decoded = decodeEnvelope(encodeEnvelope('process-a', message));
    expect(decoded).toEqual({ sender: 'process-a', message });
  });

  it('refuses what is not a message: truncated, trailing bytes, unknown version or kind', () => {
    const bytes = encodeEnvelope('p', { kind: 'update', update: everyByte, position: { epoch: 1, seq: 2 } });
    for (let cut = 0; cut < bytes.length; cut += 7) expect(decodeEnvelope(bytes.slice(0, cut))).toBeNull();
    expect(decodeEnvelope(Uint8Array.from([...bytes, 0]))).toBeNull();
    expect(decodeEnvelope(Uint8Array.from([2, ...bytes.slice(1)]))).toBeNull();
    const presence = encodeEnvelope('p', { kind: 'presence', frame: new Uint8Array([1]) });
    // version 1, sender "p" (length 1), then the kind byte.
    const unknownKind = Uint8Array.from(presence);
    unknownKind[3] = 9;
    expect(decodeEnvelope(unknownKind)).toBeNull();
  });

  it('does not hand out views into the receive buffer', () => {
    const bytes = encodeEnvelope('p', { kind: 'presence', frame: new Uint8Array([5, 6, 7]) });
    const decoded = decodeEnvelope(bytes);
    bytes.fill(0);
    expect(decoded?.message).toEqual({ kind: 'presence', frame: new Uint8Array([5, 6, 7]) });
  });
});
