import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { TrustProxy } from '../config/config.js';

/** Whom a request comes from, as rate limits count it. */
export type ClientAddress = (req: IncomingMessage) => string;

/** `::ffff:10.0.0.1` → `10.0.0.1`; `10.0.0.1:5123` → `10.0.0.1`; `[::1]:5123` → `::1` (proxies add ports). */
function normalized(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return normalized(bracketed[1]!);
  if (/^[\d.]+:\d+$/.test(address)) return address.replace(/:\d+$/, '');
  if (/^::ffff:[\d.]+$/i.test(address)) return address.slice(7);
  return address;
}

const peer = (req: IncomingMessage): string => normalized(req.socket.remoteAddress ?? 'unknown');

/** The addresses a request went through, the client's first: `X-Forwarded-For`'s entries, then the peer. */
function chain(req: IncomingMessage): string[] {
  const forwarded = req.headers['x-forwarded-for'];
  const entries = typeof forwarded === 'string' ? forwarded.split(',') : [];
  return [...entries.map((entry) => normalized(entry.trim())).filter(Boolean), peer(req)];
}

/**
 * The client's address. `X-Forwarded-For` is believed only as far as `trust` says: with `{ hops: n }`, the
 * address the n-th proxy from this server saw; with `{ addresses }`, the nearest address that is not a trusted
 * proxy. With no trust (the default), the peer's address: anyone can write that header.
 */
export function clientAddressResolver(trust: TrustProxy): ClientAddress {
  if ('hops' in trust) {
    const { hops } = trust;
    if (hops === 0) return peer;
    return (req) => {
      const addresses = chain(req);
      return addresses[Math.max(0, addresses.length - 1 - hops)]!;
    };
  }
  const trusted = new BlockList();
  for (const entry of trust.addresses) {
    const [raw = '', prefix] = entry.split('/');
    const address = prefix === undefined ? normalized(raw) : raw;
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(prefix), family);
  }
  const isTrusted = (address: string): boolean => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (req) => {
    const addresses = chain(req);
    let i = addresses.length - 1;
    while (i > 0 && isTrusted(addresses[i]!)) i--;
    return addresses[i]!;
  };
}
