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
  const tooLarge = { ok: false as const, status: 413 as const, message: `The request body is larger than ${maxBytes / 1024} KB; answers are short.` };
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  let text: string;
  if (incoming && !incoming.readableEnded) {
    if (Number(incoming.headers['content-length'] ?? 0) > maxBytes) return tooLarge;
    const read = await readStream(incoming, maxBytes);
    if (read === 'too_large') return tooLarge;
    if (read === 'too_slow') return { ok: false, status: 400, message: `The request body did not arrive within ${READ_DEADLINE_MS / 1000} seconds.` };
    if (read === 'aborted') return { ok: false, status: 400, message: 'The request body was cut off.' };
    text = read;
  } else {
    if (Number(c.req.header('content-length') ?? 0) > maxBytes) return tooLarge;
    text = await c.req.text();
    if (Buffer.byteLength(text) > maxBytes) return tooLarge;
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, message: 'The body is not valid JSON.' };
  }
}

async function readStream(incoming: IncomingMessage, maxBytes: number): Promise<string | 'too_large' | 'too_slow' | 'aborted'> {
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
      return Buffer.concat(chunks).toString('utf8');
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
