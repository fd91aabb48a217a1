import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr, parseIp } from './evaluate-ip';

describe('parseIp', () => {
  it.each([
    { text: '203.0.113.9', family: 4, bits: 0xcb007109n },
    { text: '0.0.0.0', family: 4, bits: 0n },
    { text: '::', family: 6, bits: 0n },
    { text: '::1', family: 6, bits: 1n },
    { text: '2001:db8::1', family: 6, bits: (0x20010db8n << 96n) | 1n },
    { text: '2001:DB8:0:0:0:0:0:1', family: 6, bits: (0x20010db8n << 96n) | 1n },
    { text: '::ffff:10.0.0.1', family: 6, bits: (0xffffn << 32n) | 0x0a000001n },
  ])('$text', ({ text, family, bits }) => {
    expect(parseIp(text)).toEqual({ family, bits });
  });

  it.each(['256.0.0.1', '1.2.3', '01.2.3.4', '1:2:3:4:5:6:7:8:9', '1::2::3', 'fe80::zz', '', 'abc'])(
    'rejects %s',
    (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );
});

describe('parseCidr and cidrContains', () => {
  it.each([
    { cidr: '10.0.0.0/8', ip: '10.255.0.1', inside: true },
    { cidr: '10.0.0.0/8', ip: '11.0.0.1', inside: false },
    { cidr: '10.1.2.3/8', ip: '10.9.9.9', inside: true },
    { cidr: '0.0.0.0/0', ip: '255.255.255.255', inside: true },
    { cidr: '203.0.113.9', ip: '203.0.113.9', inside: true },
    { cidr: '203.0.113.9/32', ip: '203.0.113.8', inside: false },
    { cidr: '2001:db8::/32', ip: '2001:db8:ffff::1', inside: true },
    { cidr: '2001:db8::/32', ip: '2001:db9::1', inside: false },
    { cidr: '::/0', ip: '::1', inside: true },
    { cidr: '::/0', ip: '10.0.0.1', inside: false },
    { cidr: '10.0.0.0/8', ip: '::ffff:10.0.0.1', inside: false },
  ])('$ip in $cidr: $inside', ({ cidr, ip, inside }) => {
    const block = parseCidr(cidr);
    const address = parseIp(ip);
    expect(block).not.toBeNull();
    expect(address).not.toBeNull();
    expect(cidrContains(block!, address!)).toBe(inside);
  });

  it.each(['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/x', '10.0.0.0/', 'nope/8'])('rejects %s', (text) => {
    expect(parseCidr(text)).toBeNull();
  });
});
