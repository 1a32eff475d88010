import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Where a webhook may be sent (SSRF defences). Checked when the URL is saved and again before
 * every attempt, against the addresses the name resolves to *then*; the attempt connects to the
 * address that was checked (send.ts pins it), so a name that resolves to a public address for
 * the check and to 127.0.0.1 for the connection (DNS rebinding) cannot reach inside. Refused:
 * anything but http(s), credentials in the URL, `localhost` and `*.localhost`, and every
 * loopback, private, link-local (169.254.169.254, the cloud metadata address), shared,
 * reserved, multicast, unique-local and IPv4-mapped/-translated IPv6 address. The URL parser
 * turns decimal, octal and hexadecimal IPv4 forms (http://2130706433/, http://0177.0.0.1/)
 * into dotted quads before they are checked.
 *
 * `allowPrivate` (SADA_WEBHOOKS_ALLOW_PRIVATE=1) turns the address checks off for installations
 * whose receivers live on their own network, and for tests with a local receiver.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export interface UrlPolicy {
  allowPrivate: boolean;
  resolve?: Resolver;
}

/** SADA_WEBHOOKS_ALLOW_PRIVATE=1 (or true): webhooks may target private and loopback addresses. */
export const allowPrivateFromEnv = (env: NodeJS.ProcessEnv = process.env): boolean => env.SADA_WEBHOOKS_ALLOW_PRIVATE === '1' || env.SADA_WEBHOOKS_ALLOW_PRIVATE === 'true';

export type UrlCheck = { ok: true; url: URL; address: ResolvedAddress } | { ok: false; reason: string };

/** Only the syntax (no DNS): http(s), a host, no credentials, at most 2048 characters. */
export function parseWebhookUrl(text: string): { ok: true; url: URL } | { ok: false; reason: string } {
  if (text.length > 2048) return { ok: false, reason: 'the URL is longer than 2048 characters' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'it is not a URL (e.g. https://hooks.example.com/sada)' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `only http and https URLs, not ${url.protocol}` };
  if (url.username || url.password) return { ok: false, reason: 'no user name or password in the URL: check the signature instead' };
  if (!url.hostname) return { ok: false, reason: 'the URL has no host' };
  return { ok: true, url };
}

/** Checks the URL and every address its host resolves to; the first allowed address to connect to. */
export async function checkWebhookUrl(text: string, policy: UrlPolicy): Promise<UrlCheck> {
  const parsed = parseWebhookUrl(text);
  if (!parsed.ok) return parsed;
  const { url } = parsed;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (!policy.allowPrivate && (lower === 'localhost' || lower.endsWith('.localhost'))) return { ok: false, reason: `${host} is this machine: webhooks go to other servers` };
  let addresses: ResolvedAddress[];
  const family = isIP(host);
  if (family) addresses = [{ address: host, family: family as 4 | 6 }];
  else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(host);
    } catch (error) {
      return { ok: false, reason: `${host} does not resolve (${(error as { code?: string }).code ?? (error as Error).message})` };
    }
    if (addresses.length === 0) return { ok: false, reason: `${host} does not resolve` };
  }
  if (!policy.allowPrivate) {
    for (const a of addresses) {
      const why = forbiddenAddress(a.address);
      if (why) return { ok: false, reason: `${host}${a.address === host ? '' : ` resolves to ${a.address}, which`} is ${why}; set SADA_WEBHOOKS_ALLOW_PRIVATE=1 to allow private targets` };
    }
  }
  return { ok: true, url, address: addresses[0]! };
}

const V4_BLOCKS: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'an unspecified address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (169.254.169.254 is the cloud metadata service)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.88.99.0', 24, 'a reserved relay address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];

const v4Number = (address: string) => address.split('.').reduce((n, part) => n * 256 + Number(part), 0);

function forbiddenV4(address: string): string | undefined {
  const n = v4Number(address);
  for (const [base, bits, why] of V4_BLOCKS) {
    const size = 2 ** (32 - bits);
    const start = v4Number(base);
    if (n >= start && n < start + size) return why;
  }
  return undefined;
}

/** The 16 bytes of an IPv6 address (with an embedded dotted quad allowed at the end). */
export function ipv6Bytes(address: string): number[] | undefined {
  const zoneless = address.split('%')[0]!;
  let text = zoneless;
  const tail: number[] = [];
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    if (isIP(quad[1]!) !== 4) return undefined;
    tail.push(...quad[1]!.split('.').map(Number));
    text = text.slice(0, -quad[1]!.length) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    const v = parseInt(g, 16);
    bytes.push(v >> 8, v & 255);
  }
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : undefined;
}

const startsWith = (bytes: number[], prefix: number[], bits: number) => {
  for (let i = 0; i < bits; i++) {
    const byte = Math.floor(i / 8);
    const mask = 0x80 >> i % 8;
    if ((bytes[byte]! & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
};

/** Why an address may not be a webhook target, or undefined when it may. */
export function forbiddenAddress(address: string): string | undefined {
  const family = isIP(address.split('%')[0]!);
  if (family === 4) return forbiddenV4(address);
  if (family !== 6) return 'not an IP address';
  const b = ipv6Bytes(address);
  if (!b) return 'not an IP address';
  const v4 = () => b.slice(12).join('.');
  if (b.every((x) => x === 0)) return 'an unspecified address';
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) return 'a loopback address';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64): the IPv4 inside decides.
  if (startsWith(b, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96)) return forbiddenV4(v4()) ?? undefined;
  if (startsWith(b, [], 96)) return forbiddenV4(v4()) ?? 'a deprecated IPv4-compatible address';
  if (startsWith(b, [0, 0x64, 0xff, 0x9b], 96)) return forbiddenV4(v4()) ?? undefined;
  if (startsWith(b, [0, 0x64, 0xff, 0x9b, 0, 1], 48)) return 'a local-use translation address';
  if (startsWith(b, [0x20, 0x02], 16)) return forbiddenV4(b.slice(2, 6).join('.')) ?? undefined; // 6to4
  if (startsWith(b, [0x01, 0x00], 64)) return 'a discard-only address';
  if (startsWith(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return 'a documentation address';
  if (startsWith(b, [0x20, 0x01, 0, 0], 32)) return 'a Teredo address';
  if (startsWith(b, [0xfc], 7)) return 'a unique-local (private) address';
  if (startsWith(b, [0xfe, 0x80], 10)) return 'a link-local address';
  if (startsWith(b, [0xfe, 0xc0], 10)) return 'a site-local address';
  if (startsWith(b, [0xff], 8)) return 'a multicast address';
  return undefined;
}
