import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressResolver, parseTrustedProxies } from '../../server/http/clientAddress.js';

/** What the resolver reads of a request: the socket's peer and the X-Forwarded-For header. */
function request(peer: string, forwardedFor?: string | string[]): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('CONCORD_TRUSTED_PROXIES', () => {
  it('reads addresses and ranges of both families, and refuses anything else', () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies(' 10.0.0.5, 10.1.0.0/16 ,fd00::/8,::1')).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      'fd00::/8',
      '::1',
    ]);
    for (const bad of ['proxy.local', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', '10.0.0.0/x', '10.0.0']) {
      expect(() => parseTrustedProxies(bad), bad).toThrow(/CONCORD_TRUSTED_PROXIES/);
    }
  });
});

describe('the client address of a request', () => {
  const behind = clientAddressResolver(parseTrustedProxies('10.0.0.5,10.1.0.0/16,fd00::/8'));

  it('is the peer when nothing is trusted, whatever the header says', () => {
    const none = clientAddressResolver([]);
    expect(none(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
    expect(none(request('::ffff:203.0.113.9'))).toBe('203.0.113.9');
  });

  it('is the peer when the peer is not a trusted proxy', () => {
    expect(behind(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  });

  it('is the right-most forwarded address that is not a trusted proxy', () => {
    expect(behind(request('10.0.0.5', '198.51.100.1'))).toBe('198.51.100.1');
    expect(behind(request('::ffff:10.0.0.5', '192.0.2.1, 198.51.100.1'))).toBe('198.51.100.1');
    // Two proxies in a row: the inner one (in the range) is skipped.
    expect(behind(request('10.0.0.5', '192.0.2.1, 198.51.100.1, 10.1.2.3'))).toBe('198.51.100.1');
    expect(behind(request('fd00::7', '2001:db8::1'))).toBe('2001:db8::1');
    // Repeated headers are one list, in order.
    expect(behind(request('10.0.0.5', ['192.0.2.1', '198.51.100.1']))).toBe('198.51.100.1');
  });

  it('stops at an entry that is no address, and falls back to the peer without a header', () => {
    expect(behind(request('10.0.0.5', '198.51.100.1, garbage, 10.1.2.3'))).toBe('10.1.2.3');
    expect(behind(request('10.0.0.5'))).toBe('10.0.0.5');
    expect(behind(request('10.0.0.5', '10.1.2.3'))).toBe('10.1.2.3');
  });
});
