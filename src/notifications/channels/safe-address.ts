import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { PermanentDeliveryError } from './delivery-error.js';

/** IPv4 and IPv6 ranges a webhook must not reach: this host, private networks, link-local, metadata. */
const BLOCKED: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

export function isBlockedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isBlockedAddress(mapped[1]);
  if (isIP(address) === 4) {
    const value = ipv4ToNumber(address);
    return BLOCKED.some(([base, bits]) => {
      const size = 2 ** (32 - bits);
      const start = ipv4ToNumber(base);
      return value >= start && value < start + size;
    });
  }
  const lower = address.toLowerCase();
  return (
    lower === '::' ||
    lower === '::1' ||
    lower.startsWith('fc') ||
    lower.startsWith('fd') ||
    /^fe[89ab]/.test(lower) ||
    lower.startsWith('ff')
  );
}

/**
 * Resolves a webhook host and refuses addresses inside the service's own networks unless they
 * are allowed. The connection then goes to the address checked here, so a second DNS answer
 * cannot swap in another one.
 */
export async function resolveWebhookAddress(
  hostname: string,
  allowPrivate: boolean,
): Promise<{ address: string; family: number }> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const resolved = isIP(host)
    ? { address: host, family: isIP(host) }
    : await lookup(host).catch(() => {
        throw new PermanentDeliveryError(`The webhook host ${host} does not resolve`);
      });
  if (!allowPrivate && isBlockedAddress(resolved.address)) {
    throw new PermanentDeliveryError(
      `The webhook host ${host} resolves to ${resolved.address}, a private address`,
    );
  }
  return resolved;
}

/** For input checks: the private address a host names or resolves to, or null (also when it does not resolve). */
export async function privateAddressOf(hostname: string): Promise<string | null> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const address = isIP(host)
    ? host
    : await lookup(host).then(
        (found) => found.address,
        () => null,
      );
  return address !== null && isBlockedAddress(address) ? address : null;
}
