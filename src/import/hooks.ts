import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { findPreset } from './presets/index.ts';
import { isObject } from './presets/helpers.ts';
import type { JsonPresetSource, Preset, SourceRecord } from './presets/types.ts';

/**
 * Webhook receivers, the pure part: how each tool signs a delivery, and where in the delivery
 * the record is that the tool's preset reads (the same preset code as the file import:
 * src/import/presets/). src/http/routes/hooks.ts reads the request and stores the records;
 * docs/presets.md#webhooks says what to paste in each tool.
 */

/** What a receiver sees of a request: headers (any case), query, and the body's raw bytes. */
export interface HookRequest {
  header(name: string): string | undefined;
  query(name: string): string | undefined;
  raw: Buffer;
  /** Milliseconds since the epoch, for timestamped signatures. */
  now: number;
}

export type Verdict = { ok: true; ping?: string } | { ok: false; message: string };

/** One record of a delivery and the preset source that reads it. */
export interface HookRecord {
  preset: Preset;
  source: JsonPresetSource;
  record: SourceRecord;
}

export type Unwrapped = { records: HookRecord[] } | { ignored: string };

export interface HookTool {
  /** The preset's name, the `<tool>` in the URL. */
  name: string;
  preset: Preset;
  /** The header (or place) the proof arrives in, for the docs and the messages. */
  proof: string;
  /** Where the secret comes from: the tool shows it (paste it into `sada hooks secret --secret`), or Sada makes one to paste into the tool. */
  secretFrom: 'tool' | 'sada';
  verify(request: HookRequest, secret: string): Verdict;
  /** The records the delivery brings (parsed JSON), or why it brings none Sada imports. */
  unwrap(body: unknown, request: HookRequest): Unwrapped;
}

/** Stripe refuses to let a signed delivery be replayed later than this; so do we. */
export const STRIPE_TOLERANCE_SECONDS = 300;

function hmac(algorithm: 'sha1' | 'sha256', key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time comparison of a received signature (decoded) with the expected bytes. */
function matches(received: string | undefined, encoding: 'hex' | 'base64', expected: Buffer): boolean {
  if (received === undefined) return false;
  const text = received.trim();
  const wellFormed = encoding === 'hex' ? /^[0-9a-fA-F]+$/.test(text) : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text);
  if (!wellFormed) return false;
  const bytes = Buffer.from(text, encoding);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/** Two secrets compared in constant time whatever their lengths (through their SHA-256). */
function sameSecret(received: string, secret: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(received), digest(secret));
}

const missing = (header: string, tool: string) => ({ ok: false as const, message: `The ${header} header is missing: this request was not signed by ${tool}. Deliveries must come from ${tool}'s webhook with the secret set by \`sada hooks secret\`.` });
const mismatch = (header: string, tool: string, name: string) => ({
  ok: false as const,
  message: `The ${header} signature does not match the body: the secret stored for ${tool} (sada hooks secret ${name}) is not the one ${tool} signs with, or the body was changed on the way.`,
});

/** A tool that signs the raw body with an HMAC in one header (Shopify, WooCommerce, Help Scout…). */
function bodyHmac(options: { tool: string; name: string; header: string; algorithm: 'sha1' | 'sha256'; encoding: 'hex' | 'base64'; prefix?: string }) {
  return (request: HookRequest, secret: string): Verdict => {
    const value = request.header(options.header);
    if (value === undefined || value.trim() === '') return missing(options.header, options.tool);
    const text = value.trim();
    if (options.prefix && !text.startsWith(options.prefix)) {
      return { ok: false, message: `The ${options.header} header must start with "${options.prefix}" (${options.tool} writes ${options.prefix}<signature>); it starts with "${text.slice(0, 10)}".` };
    }
    const signature = options.prefix ? text.slice(options.prefix.length) : text;
    return matches(signature, options.encoding, hmac(options.algorithm, secret, request.raw)) ? { ok: true } : mismatch(options.header, options.tool, options.name);
  };
}

function sourcesOf(preset: Preset): JsonPresetSource[] {
  return preset.sources.filter((s): s is JsonPresetSource => s.format === 'json');
}

/** Every source of the tool's preset that reads this record (a conversation is a ticket and, rated, a response). */
function detect(preset: Preset, record: unknown, what: string): Unwrapped {
  if (!isObject(record)) return { ignored: `${what} carries no record the ${preset.name} preset reads` };
  const records = sourcesOf(preset)
    .filter((source) => source.detect(record))
    .map((source) => ({ preset, source, record }));
  return records.length > 0 ? { records } : { ignored: `${what} is not a record the ${preset.name} preset reads (${preset.docs})` };
}

/** The first object among these candidates that a source of the preset reads. */
function firstDetected(preset: Preset, candidates: unknown[], what: string): Unwrapped {
  for (const candidate of candidates) {
    const found = detect(preset, candidate, what);
    if ('records' in found) return found;
  }
  return detect(preset, undefined, what);
}

const field = (body: unknown, key: string): unknown => (isObject(body) ? body[key] : undefined);
const named = (value: unknown) => (typeof value === 'string' ? value : 'a delivery');

function preset(name: string): Preset {
  const found = findPreset(name);
  if (!found) throw new Error(`no preset ${name}`);
  return found;
}

const zendesk = preset('zendesk');
const freshdesk = preset('freshdesk');
const chatwoot = preset('chatwoot');
const intercom = preset('intercom');
const helpscout = preset('helpscout');
const shopify = preset('shopify');
const woocommerce = preset('woocommerce');
const stripe = preset('stripe');
const formbricks = preset('formbricks');
const delighted = preset('delighted');
const typeform = preset('typeform');

export const HOOK_TOOLS: readonly HookTool[] = [
  {
    name: 'zendesk',
    preset: zendesk,
    proof: 'X-Zendesk-Webhook-Signature (base64 HMAC-SHA256 of X-Zendesk-Webhook-Signature-Timestamp + body)',
    secretFrom: 'tool',
    verify(request, secret) {
      const signature = request.header('x-zendesk-webhook-signature');
      const timestamp = request.header('x-zendesk-webhook-signature-timestamp');
      if (!signature) return missing('X-Zendesk-Webhook-Signature', 'Zendesk');
      if (!timestamp) return missing('X-Zendesk-Webhook-Signature-Timestamp', 'Zendesk');
      return matches(signature, 'base64', hmac('sha256', secret, timestamp, request.raw)) ? { ok: true } : mismatch('X-Zendesk-Webhook-Signature', 'Zendesk', 'zendesk');
    },
    unwrap(body) {
      // An event webhook (zen:event-type:ticket.*) carries the ticket in `detail`; a trigger's
      // webhook carries what its JSON body says: a ticket or a satisfaction rating as the API
      // writes them, alone or under `ticket` / `satisfaction_rating`.
      const type = field(body, 'type');
      if (typeof type === 'string' && type.startsWith('zen:event-type:')) {
        return type.startsWith('zen:event-type:ticket.') ? detect(zendesk, field(body, 'detail'), type) : { ignored: `${type} events carry no ticket` };
      }
      return firstDetected(zendesk, [body, field(body, 'ticket'), field(body, 'satisfaction_rating')], 'the trigger’s JSON body');
    },
  },
  {
    name: 'freshdesk',
    preset: freshdesk,
    proof: 'the secret in the URL (?secret=…) or as the Basic auth password (Freshdesk does not sign its webhooks)',
    secretFrom: 'sada',
    verify(request, secret) {
      const candidates: string[] = [];
      const query = request.query('secret');
      if (query) candidates.push(query);
      const auth = request.header('authorization');
      if (auth?.toLowerCase().startsWith('basic ')) {
        const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        // Freshdesk's "API key" option sends the key as the user name with the password X.
        candidates.push(colon < 0 ? decoded : decoded.slice(colon + 1), colon < 0 ? '' : decoded.slice(0, colon));
      }
      if (candidates.length === 0) {
        return { ok: false, message: 'No secret: Freshdesk does not sign its webhooks, so the webhook URL must carry the secret (?secret=… from sada hooks secret freshdesk) or send it as the Basic auth password.' };
      }
      // Every candidate is compared, so the time taken says nothing about which one was close.
      let ok = false;
      for (const candidate of candidates) ok = sameSecret(candidate, secret) || ok;
      return ok ? { ok: true } : { ok: false, message: 'The secret in the URL or the Basic auth password is not the one set for Freshdesk (sada hooks secret freshdesk prints a new one).' };
    },
    unwrap(body) {
      // The automation's webhook sends the JSON its body says: a ticket as the API writes it
      // (alone, or in the "simple" mode's freshdesk_webhook wrapper), or a satisfaction rating.
      return firstDetected(freshdesk, [body, field(body, 'freshdesk_webhook'), field(body, 'ticket')], 'the automation’s JSON body');
    },
  },
  {
    name: 'chatwoot',
    preset: chatwoot,
    proof: 'X-Chatwoot-Signature (sha256=<hex HMAC-SHA256 of X-Chatwoot-Timestamp + "." + body>)',
    secretFrom: 'tool',
    verify(request, secret) {
      const signature = request.header('x-chatwoot-signature');
      const timestamp = request.header('x-chatwoot-timestamp');
      if (!signature) return missing('X-Chatwoot-Signature', 'Chatwoot (a webhook without a secret is sent unsigned: give it one in Chatwoot)');
      if (!timestamp) return missing('X-Chatwoot-Timestamp', 'Chatwoot');
      if (!signature.startsWith('sha256=')) return { ok: false, message: 'The X-Chatwoot-Signature header must read sha256=<hex>.' };
      return matches(signature.slice(7), 'hex', hmac('sha256', secret, `${timestamp}.`, request.raw)) ? { ok: true } : mismatch('X-Chatwoot-Signature', 'Chatwoot', 'chatwoot');
    },
    unwrap(body) {
      // conversation_created / _updated / _status_changed send the conversation itself, with the
      // event's name beside its fields; message and contact events change no ticket.
      const event = field(body, 'event');
      if (typeof event !== 'string' || !event.startsWith('conversation_')) return { ignored: `${named(event)} events carry no conversation` };
      if (!isObject(body)) return { ignored: 'the delivery is not an object' };
      const { event: _event, account, ...conversation } = body;
      // The webhook names the account as account.id; the API's conversations as account_id.
      if (conversation.account_id === undefined && isObject(account)) conversation.account_id = account.id;
      return detect(chatwoot, conversation, event);
    },
  },
  {
    name: 'intercom',
    preset: intercom,
    proof: "X-Hub-Signature (sha1=<hex HMAC-SHA1 of the body with the app's client secret>)",
    secretFrom: 'tool',
    verify: bodyHmac({ tool: 'Intercom', name: 'intercom', header: 'X-Hub-Signature', algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=' }),
    unwrap(body) {
      // A notification: {type: notification_event, topic, data: {item: <conversation>}}.
      const topic = field(body, 'topic');
      const item = field(field(body, 'data'), 'item');
      if (field(item, 'type') !== 'conversation') return { ignored: `${named(topic)} notifications carry no conversation` };
      return detect(intercom, item, named(topic));
    },
  },
  {
    name: 'helpscout',
    preset: helpscout,
    proof: 'X-HelpScout-Signature (base64 HMAC-SHA1 of the body with the secret key)',
    secretFrom: 'sada',
    verify: bodyHmac({ tool: 'Help Scout', name: 'helpscout', header: 'X-HelpScout-Signature', algorithm: 'sha1', encoding: 'base64' }),
    unwrap(body, request) {
      const event = request.header('x-helpscout-event');
      if (event !== undefined && event !== 'satisfaction.ratings') return { ignored: `${event} events are not imported (only satisfaction.ratings)` };
      return detect(helpscout, body, event ?? 'the delivery');
    },
  },
  {
    name: 'shopify',
    preset: shopify,
    proof: 'X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the body)',
    secretFrom: 'tool',
    verify: bodyHmac({ tool: 'Shopify', name: 'shopify', header: 'X-Shopify-Hmac-Sha256', algorithm: 'sha256', encoding: 'base64' }),
    unwrap(body, request) {
      const topic = request.header('x-shopify-topic');
      if (topic !== undefined && !topic.startsWith('orders/')) return { ignored: `${topic} deliveries are not imported (only orders/*)` };
      if (topic === 'orders/delete') return { ignored: 'orders/delete carries only the id: the order is kept' };
      return detect(shopify, body, topic ?? 'the delivery');
    },
  },
  {
    name: 'woocommerce',
    preset: woocommerce,
    proof: 'X-WC-Webhook-Signature (base64 HMAC-SHA256 of the body)',
    secretFrom: 'sada',
    verify(request, secret) {
      // Saving a webhook sends an unsigned ping, `webhook_id=<n>`, and WooCommerce keeps the
      // webhook only if it gets a 200: it is answered and stores nothing.
      const text = request.raw.length < 64 ? request.raw.toString('utf8') : '';
      if (request.header('x-wc-webhook-signature') === undefined && /^webhook_id=\d+$/.test(text)) return { ok: true, ping: text };
      return bodyHmac({ tool: 'WooCommerce', name: 'woocommerce', header: 'X-WC-Webhook-Signature', algorithm: 'sha256', encoding: 'base64' })(request, secret);
    },
    unwrap(body, request) {
      const topic = request.header('x-wc-webhook-topic');
      if (topic !== undefined && !topic.startsWith('order.')) return { ignored: `${topic} deliveries are not imported (only order.*)` };
      if (topic === 'order.deleted') return { ignored: 'order.deleted carries only the id: the order is kept' };
      return detect(woocommerce, body, topic ?? 'the delivery');
    },
  },
  {
    name: 'stripe',
    preset: stripe,
    proof: `Stripe-Signature (t=<time>,v1=<hex HMAC-SHA256 of "<time>.<body>">; at most ${STRIPE_TOLERANCE_SECONDS / 60} minutes old)`,
    secretFrom: 'tool',
    verify(request, secret) {
      const header = request.header('stripe-signature');
      if (!header) return missing('Stripe-Signature', 'Stripe');
      let timestamp: string | undefined;
      const signatures: string[] = [];
      for (const part of header.split(',')) {
        const [key, ...rest] = part.trim().split('=');
        const value = rest.join('=');
        if (key === 't') timestamp = value;
        else if (key === 'v1') signatures.push(value);
      }
      if (!timestamp || !/^\d+$/.test(timestamp) || signatures.length === 0) {
        return { ok: false, message: 'The Stripe-Signature header must read t=<unix time>,v1=<signature> (only v1 signatures are accepted).' };
      }
      const expected = hmac('sha256', secret, `${timestamp}.`, request.raw);
      // Each v1 is checked (Stripe sends one per secret while a secret is being rolled).
      let ok = false;
      for (const signature of signatures) ok = matches(signature, 'hex', expected) || ok;
      if (!ok) return mismatch('Stripe-Signature', 'Stripe', 'stripe');
      const age = Math.abs(request.now / 1000 - Number(timestamp));
      if (age > STRIPE_TOLERANCE_SECONDS) {
        return { ok: false, message: `The Stripe-Signature timestamp is ${Math.round(age)} seconds away from this server's clock (more than ${STRIPE_TOLERANCE_SECONDS}): a replayed delivery is refused. If the server's clock is wrong, set it right (NTP).` };
      }
      return { ok: true };
    },
    unwrap(body) {
      // An event: {type: customer.subscription.updated, data: {object: <subscription>}}.
      const type = field(body, 'type');
      return detect(stripe, field(field(body, 'data'), 'object'), named(type));
    },
  },
  {
    name: 'formbricks',
    preset: formbricks,
    proof: 'webhook-signature (Standard Webhooks: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">)',
    secretFrom: 'tool',
    verify(request, secret) {
      const id = request.header('webhook-id');
      const timestamp = request.header('webhook-timestamp');
      const header = request.header('webhook-signature');
      if (!header) return missing('webhook-signature', 'Formbricks');
      if (!id || !timestamp) return { ok: false, message: 'The webhook-id and webhook-timestamp headers are missing: Formbricks signs "<webhook-id>.<webhook-timestamp>.<body>" and sends all three.' };
      // A whsec_ secret is base64 after its prefix (Standard Webhooks); any other is used as written.
      const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret);
      const expected = hmac('sha256', key, `${id}.${timestamp}.`, request.raw);
      let ok = false;
      for (const signature of header.split(' ')) ok = (signature.startsWith('v1,') && matches(signature.slice(3), 'base64', expected)) || ok;
      return ok ? { ok: true } : mismatch('webhook-signature', 'Formbricks', 'formbricks');
    },
    unwrap(body) {
      // {webhookId, event: responseCreated | responseUpdated | responseFinished, data: <response>}.
      return detect(formbricks, field(body, 'data'), named(field(body, 'event')));
    },
  },
  {
    name: 'delighted',
    preset: delighted,
    proof: 'X-Delighted-Webhook-Signature (sha256=<hex HMAC-SHA256 of the body with the API key>)',
    secretFrom: 'tool',
    verify: bodyHmac({ tool: 'Delighted', name: 'delighted', header: 'X-Delighted-Webhook-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }),
    unwrap(body) {
      // {event_type: survey_response.created | .updated, event_data: <response with its person>}.
      const type = field(body, 'event_type');
      if (typeof type === 'string' && !type.startsWith('survey_response.')) return { ignored: `${type} events carry no answer` };
      return detect(delighted, field(body, 'event_data'), named(type));
    },
  },
  {
    name: 'typeform',
    preset: typeform,
    proof: 'Typeform-Signature (sha256=<base64 HMAC-SHA256 of the body>)',
    secretFrom: 'sada',
    verify: bodyHmac({ tool: 'Typeform', name: 'typeform', header: 'Typeform-Signature', algorithm: 'sha256', encoding: 'base64', prefix: 'sha256=' }),
    unwrap(body) {
      // {event_id, event_type: form_response, form_response: <response with its definition>}.
      return detect(typeform, field(body, 'form_response'), named(field(body, 'event_type')));
    },
  },
];

export function findHookTool(name: string): HookTool | undefined {
  return HOOK_TOOLS.find((tool) => tool.name === name.toLowerCase());
}
