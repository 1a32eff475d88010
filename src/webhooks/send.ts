import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './url-guard.ts';

/**
 * One POST to a webhook endpoint, connected to the address the URL check approved (the name is
 * not resolved again, so DNS rebinding between the check and the connection reaches nothing
 * else). TLS still verifies the certificate for the URL's host name (SNI and the check use it).
 * Redirects are not followed: a 3xx is an answer like any other non-2xx, a failed attempt. The
 * reply's body is read up to 4 KB (for the log) and dropped.
 */

export interface PostResult {
  status: number;
  /** The start of the reply, for the delivery log. */
  body: string;
}

export const WEBHOOK_TIMEOUT_MS = 15_000;
const MAX_REPLY = 4096;

export function postPinned(url: URL, address: ResolvedAddress, headers: Record<string, string>, body: string, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<PostResult> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const options: RequestOptions = {
    method: 'POST',
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Sada-Webhooks/1', ...headers },
    lookup: pinned,
    timeout: timeoutMs,
    agent: false,
  };
  return new Promise((resolve, reject) => {
    // The socket timeout catches silence; this one a reply that drips for ever.
    const overall = setTimeout(() => req.destroy(new Error(`no complete answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const done = <T,>(settle: (value: T) => void) => (value: T) => {
      clearTimeout(overall);
      settle(value);
    };
    resolve = done(resolve);
    reject = done(reject);
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(options, (res) => {
      let reply = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (reply.length < MAX_REPLY) reply += chunk.slice(0, MAX_REPLY - reply.length);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: reply }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
    req.on('error', reject);
    req.end(body);
  });
}
