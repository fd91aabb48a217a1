/**
 * IPv4 and IPv6 addresses and CIDR blocks for the `IpAddress` / `NotIpAddress` condition
 * operators (reference_policies_elements_condition_operators.html#Conditions_IPAddress).
 * Pure: no I/O.
 */

/** An address as a family and its bits (IPv4: 32 bits; IPv6: 128 bits), as a bigint. */
export interface IpValue {
  family: 4 | 6;
  bits: bigint;
}

/** A CIDR block: the network bits and the prefix length. */
export interface Cidr {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

const IPV4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_PART.test(part)) return null;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function parseHextets(text: string): number[] | null {
  if (text === '') return [];
  const groups = text.split(':');
  const out: number[] = [];
  for (let index = 0; index < groups.length; index += 1) {
    const group = groups[index]!;
    if (index === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (v4 === null) return null;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      continue;
    }
    if (!HEXTET.test(group)) return null;
    out.push(parseInt(group, 16));
  }
  return out;
}

function parseIpv6(text: string): bigint | null {
  const doubleColon = text.indexOf('::');
  let groups: number[];
  if (doubleColon === -1) {
    const parsed = parseHextets(text);
    if (parsed === null || parsed.length !== 8) return null;
    groups = parsed;
  } else {
    if (text.indexOf('::', doubleColon + 1) !== -1) return null;
    const head = parseHextets(text.slice(0, doubleColon));
    const tail = parseHextets(text.slice(doubleColon + 2));
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** Parses an IPv4 or IPv6 address; `null` when it is neither. */
export function parseIp(text: string): IpValue | null {
  if (text.includes(':')) {
    const bits = parseIpv6(text);
    return bits === null ? null : { family: 6, bits };
  }
  const bits = parseIpv4(text);
  return bits === null ? null : { family: 4, bits };
}

/** Parses `address/prefix` (or a bare address, a /32 or /128 block); `null` when invalid. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const address = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (address === null) return null;
  const width = address.family === 4 ? 32 : 128;
  let prefix = width;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > width) return null;
  }
  const shift = BigInt(width - prefix);
  return { family: address.family, network: (address.bits >> shift) << shift, prefix };
}

/** True when `ip` lies inside `cidr` (an address of the other family never does). */
export function cidrContains(cidr: Cidr, ip: IpValue): boolean {
  if (cidr.family !== ip.family) return false;
  const shift = BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix);
  return (ip.bits >> shift) << shift === cidr.network;
}
