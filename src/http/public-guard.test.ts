import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipv6Block64 } from './public-guard.ts';

test('IPv6 clients count per /64, however the address is written', () => {
  assert.equal(ipv6Block64('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(ipv6Block64('2001:0db8:0000:0000:abcd::1'), '2001:db8:0:0::/64');
  assert.equal(ipv6Block64('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  assert.equal(ipv6Block64('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.notEqual(ipv6Block64('2001:db8:0:1::1'), ipv6Block64('2001:db8:0:2::1'));
});
