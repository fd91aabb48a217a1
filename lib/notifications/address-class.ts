import { cidrContains, parseCidr, parseIp, type Cidr, type IpValue } from '@/lib/iam/evaluate-ip';

/**
 * Where an IP address leads, for the webhook's guard against server-side request forgery: only a
 * `public` address may be reached in aws mode (unless an admin allow-listed the host). Pure.
 */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'metadata'
  | 'shared'
  | 'multicast'
  | 'reserved'
  | 'invalid';

function blocks(entries: [string, Exclude<AddressClass, 'public' | 'invalid'>][]): [Cidr, AddressClass][] {
  return entries.map(([text, kind]) => {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`Bad CIDR block ${text}`);
    return [cidr, kind];
  });
}

// Most specific first: the first block that contains the address names its class.
const ipv4Blocks = blocks([
  ['169.254.169.254/32', 'metadata'], // EC2 instance metadata (and most clouds')
  ['0.0.0.0/8', 'unspecified'], // "this network" (RFC 1122)
  ['127.0.0.0/8', 'loopback'],
  ['10.0.0.0/8', 'private'], // RFC 1918
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['100.64.0.0/10', 'shared'], // carrier-grade NAT (RFC 6598)
  ['169.254.0.0/16', 'link_local'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
  ['192.0.2.0/24', 'reserved'], // documentation (RFC 5737)
  ['198.18.0.0/15', 'reserved'], // benchmarking (RFC 2544)
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // incl. the broadcast address
]);

const ipv6Blocks = blocks([
  ['fd00:ec2::254/128', 'metadata'], // EC2 instance metadata over IPv6
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private'], // unique local addresses (RFC 4193)
  ['fec0::/10', 'private'], // site-local (deprecated, RFC 3879)
  ['fe80::/10', 'link_local'],
  ['ff00::/8', 'multicast'],
  ['100::/64', 'reserved'], // discard (RFC 6666)
  ['64:ff9b:1::/48', 'reserved'], // local-use NAT64 (RFC 8215): translated wherever the operator says
  ['2001::/32', 'reserved'], // Teredo (RFC 4380): tunnelled through an IPv4 relay
  ['2001:db8::/32', 'reserved'], // documentation (RFC 3849)
]);

// IPv6 forms that carry an IPv4 address, classified as that address: IPv4-mapped (::ffff:a.b.c.d),
// IPv4-compatible (::a.b.c.d, deprecated), NAT64 (64:ff9b::a.b.c.d) in their low 32 bits, and
// 6to4 (2002:aabb:ccdd::) in bits 16 to 48.
const embeddedLow = [parseCidr('::ffff:0:0/96'), parseCidr('::/96'), parseCidr('64:ff9b::/96')].filter(
  (cidr): cidr is Cidr => cidr !== null,
);
const sixToFour = parseCidr('2002::/16');

function embeddedIpv4(ip: IpValue): IpValue | null {
  if (embeddedLow.some((cidr) => cidrContains(cidr, ip))) return { family: 4, bits: ip.bits & 0xffffffffn };
  if (sixToFour && cidrContains(sixToFour, ip)) return { family: 4, bits: (ip.bits >> 80n) & 0xffffffffn };
  return null;
}

/**
 * The class of an address as `dns.lookup` returns it (a zone index such as `%eth0` is ignored):
 * `invalid` when it is no IP address.
 */
export function classifyAddress(address: string): AddressClass {
  const ip = parseIp(address.replace(/%.*$/, ''));
  if (!ip) return 'invalid';
  const table = ip.family === 4 ? ipv4Blocks : ipv6Blocks;
  const found = table.find(([cidr]) => cidrContains(cidr, ip));
  if (found) return found[1];
  if (ip.family === 6) {
    const inner = embeddedIpv4(ip);
    // `::` and `::1` were classified above; any other address of ::/96 carries an IPv4 address.
    if (inner) return classifyAddress(ipv4Text(inner.bits));
  }
  return 'public';
}

function ipv4Text(bits: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 0xffn)).join('.');
}

/** Words for a refused class, for the delivery's status ("resolves to a private address"). */
export function describeAddressClass(kind: AddressClass): string {
  switch (kind) {
    case 'metadata':
      return 'a cloud metadata address';
    case 'loopback':
      return 'a loopback address';
    case 'link_local':
      return 'a link-local address';
    case 'shared':
      return 'a carrier-grade NAT address';
    case 'unspecified':
      return 'an unspecified address';
    case 'multicast':
      return 'a multicast address';
    case 'reserved':
      return 'a reserved address';
    case 'invalid':
      return 'no valid address';
    case 'private':
      return 'a private address';
    case 'public':
      return 'a public address';
  }
}

/** Whether the webhook may connect to an address of this class without an allow-list entry. */
export function isPublicAddress(kind: AddressClass): boolean {
  return kind === 'public';
}
