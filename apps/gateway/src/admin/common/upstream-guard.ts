import { GatewayError } from '@conduit/contracts';
import { lookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard for provider base URLs: addresses on loopback, link-local
 * (cloud metadata at 169.254.169.254 included), private, CGNAT, unspecified and
 * other non-public ranges are refused unless the platform allows private
 * upstreams (CONDUIT_ALLOW_PRIVATE_UPSTREAMS).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 (can reach IPv4 private ranges)
  ['2002::', 16], // 6to4 (embeds IPv4)
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** true when the address is loopback, link-local, private, CGNAT, unspecified or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    if (/^::ffff:/i.test(address)) return true; // hex-form IPv4-mapped: refuse rather than decode
    return blocked.check(address, 'ipv6');
  }
  return true; // not an IP at all: refuse
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    lookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses.map((a) => a.address))));
  });
}

/**
 * Refuses a base URL whose host resolves (any of its addresses) to a non-public
 * network. `field` names the input field in the 400.
 */
export async function assertPublicUpstream(baseUrl: string, allowPrivate: boolean, field = 'baseUrl'): Promise<void> {
  if (allowPrivate) return;
  const url = new URL(baseUrl);
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolveAll(host);
    } catch (e) {
      throw new GatewayError('validation_failed', `Invalid request: ${field} host "${host}" does not resolve (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, {
        details: { fields: [{ field, message: `host "${host}" does not resolve` }] },
      });
    }
  }
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw ssrf(field, host, bad);
}

function ssrf(field: string, host: string, address: string) {
  const message = `must not point at a loopback, link-local or private network address (${host} → ${address}); a platform admin can allow private upstreams with CONDUIT_ALLOW_PRIVATE_UPSTREAMS=true`;
  return new GatewayError('validation_failed', `Invalid request: ${field} ${message}`, { details: { fields: [{ field, message }] } });
}

/**
 * A `lookup` for node:http(s) that checks every address it hands to the socket,
 * so a name that resolved to a public address at validation time cannot be
 * re-pointed at a private one when the call is made (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number } | number,
    callback: (err: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void,
  ): void => {
    lookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const bad = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (bad) {
        const e: NodeJS.ErrnoException = new Error(`refused: ${hostname} resolves to a non-public address (${bad.address})`);
        e.code = 'EPRIVATEUPSTREAM';
        return callback(e, '', 4);
      }
      const all = typeof options === 'object' && options.all;
      if (all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
