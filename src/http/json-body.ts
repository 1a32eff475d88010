import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string };

/**
 * Reads a JSON request body of at most `maxBytes`, refusing a larger one as soon as its
 * Content-Length or its bytes say so. On Node it reads the socket stream itself: building a
 * WHATWG Request and stream for every answer cost as much CPU as storing the answer.
 */
/** A body still arriving after this long is refused: a slow client must not hold a connection. */
const READ_DEADLINE_MS = 10_000;

export async function readJsonBody(c: Context, maxBytes: number): Promise<JsonBody> {
  const body = await readRawBody(c, maxBytes, 'answers are short');
  if (!body.ok) return body;
  try {
    return { ok: true, value: JSON.parse(body.bytes.toString('utf8')) };
  } catch {
    return { ok: false, status: 400, message: 'The body is not valid JSON.' };
  }
}

export type RawBody = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413; message: string };

/**
 * The request body's bytes exactly as they arrived (what a webhook's signature is computed
 * over), read once and refused past `maxBytes` (`why` ends the message: "answers are short").
 */
export async function readRawBody(c: Context, maxBytes: number, why: string): Promise<RawBody> {
  const tooLarge = { ok: false as const, status: 413 as const, message: `The request body is larger than ${maxBytes / 1024} KB; ${why}.` };
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableEnded) {
    if (Number(incoming.headers['content-length'] ?? 0) > maxBytes) return tooLarge;
    const read = await readStream(incoming, maxBytes);
    if (read === 'too_large') return tooLarge;
    if (read === 'too_slow') return { ok: false, status: 400, message: `The request body did not arrive within ${READ_DEADLINE_MS / 1000} seconds.` };
    if (read === 'aborted') return { ok: false, status: 400, message: 'The request body was cut off.' };
    return { ok: true, bytes: read };
  }
  if (Number(c.req.header('content-length') ?? 0) > maxBytes) return tooLarge;
  const bytes = Buffer.from(await c.req.arrayBuffer());
  if (bytes.length > maxBytes) return tooLarge;
  return { ok: true, bytes };
}

async function readStream(incoming: IncomingMessage, maxBytes: number): Promise<Buffer | 'too_large' | 'too_slow' | 'aborted'> {
  const chunks: Buffer[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'too_slow'>((resolve) => {
    timer = setTimeout(() => resolve('too_slow'), READ_DEADLINE_MS);
  });
  const reading = (async () => {
    try {
      for await (const chunk of incoming as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) return 'too_large' as const;
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    } catch {
      return 'aborted' as const;
    }
  })();
  try {
    return await Promise.race([reading, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
