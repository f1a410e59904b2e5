import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** An IPv4 address as IPv6 sockets report it (`::ffff:10.0.0.5`) is the IPv4 address. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

function familyOf(address: string): 'ipv4' | 'ipv6' | null {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : null;
}

/**
 * Reads `CONCORD_TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges (`10.0.0.5`, `10.0.0.0/8`,
 * `fd00::/8`). Throws on an entry that is neither, so that a typo does not silently trust nobody.
 */
export function parseTrustedProxies(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [address = '', bits, extra] = entry.split('/');
      const family = familyOf(plain(address));
      const prefix = bits === undefined ? null : Number(bits);
      const maxBits = family === 'ipv4' ? 32 : 128;
      if (
        !family ||
        extra !== undefined ||
        (prefix !== null && (!/^\d{1,3}$/.test(bits ?? '') || (prefix as number) > maxBits))
      ) {
        throw new Error(`CONCORD_TRUSTED_PROXIES: "${entry}" is not an address or a range such as 10.0.0.0/8`);
      }
      return entry;
    });
}

/** Tells the client's address of a request from its peer's, given which peers are trusted proxies. */
export type ClientAddressOf = (req: IncomingMessage) => string;

/**
 * The client address of a request. Only when the socket's peer is a trusted proxy is `X-Forwarded-For`
 * read, from the right: each proxy appends the address it received from, so the right-most entry that
 * is not itself a trusted proxy is the client as far as a trusted hop can vouch; anything left of it
 * was written by the client and proves nothing. Without trusted proxies the header is never read.
 */
export function clientAddressResolver(trusted: readonly string[]): ClientAddressOf {
  const list = new BlockList();
  for (const entry of trusted) {
    const [address = '', bits] = entry.split('/');
    const ip = plain(address);
    const family = familyOf(ip) ?? 'ipv4';
    if (bits === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(bits), family);
  }
  const isTrusted = (address: string) => {
    const family = familyOf(address);
    return family !== null && list.check(address, family);
  };
  return (req) => {
    const peer = plain(req.socket.remoteAddress ?? '');
    if (trusted.length === 0 || !isTrusted(peer)) return peer || 'unknown';
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((s) => plain(s.trim()))
      .filter(Boolean);
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] as string;
      // A malformed entry cannot be an address a proxy wrote: stop at the last hop that can be vouched for.
      if (familyOf(hop) === null) break;
      client = hop;
      if (!isTrusted(hop)) break;
    }
    return client;
  };
}
