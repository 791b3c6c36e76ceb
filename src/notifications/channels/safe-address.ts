import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { PermanentDeliveryError } from './delivery-error.js';

/** IPv4 and IPv6 ranges a webhook must not reach: this host, private networks, link-local, metadata. */
const BLOCKED = new BlockList();
for (const [base, bits] of [
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
] as const) {
  BLOCKED.addSubnet(base, bits, 'ipv4');
}
BLOCKED.addAddress('::', 'ipv6');
BLOCKED.addAddress('::1', 'ipv6');
BLOCKED.addSubnet('fc00::', 7, 'ipv6');
BLOCKED.addSubnet('fe80::', 10, 'ipv6');
BLOCKED.addSubnet('ff00::', 8, 'ipv6');

/**
 * BlockList also holds IPv4-mapped IPv6 addresses to the IPv4 ranges, in either spelling: URLs
 * write [::ffff:127.0.0.1] as [::ffff:7f00:1], and a dual-stack socket reaches 127.0.0.1 through it.
 */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
