import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string };

/**
 * Reads a JSON request body of at most `maxBytes`, refusing a larger one as soon as its
 * Content-Length or its bytes say so. On Node it reads the socket stream itself: building a
 * WHATWG Request and stream for every answer cost as much CPU as storing the answer.
 */
export async function readJsonBody(c: Context, maxBytes: number): Promise<JsonBody> {
  const tooLarge = { ok: false as const, status: 413 as const, message: `The request body is larger than ${maxBytes / 1024} KB; answers are short.` };
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  let text: string;
  if (incoming && !incoming.readableEnded) {
    if (Number(incoming.headers['content-length'] ?? 0) > maxBytes) return tooLarge;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) return tooLarge;
      chunks.push(chunk);
    }
    text = Buffer.concat(chunks).toString('utf8');
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
