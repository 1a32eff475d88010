import { parse } from 'csv-parse';
import { DateTime } from 'luxon';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { LineWriter, type ShapeOptions, type ShapeProblem, type ShapeResult } from '../shaping.ts';

/**
 * Shapes "Customer Support on Twitter" (one CSV row per tweet, linked by reply ids) into
 * conversations: `tickets.ndjson` (one ticket per conversation) and `messages.ndjson` (its
 * tweets), for `tickets.mapping.json` and `messages.mapping.json`.
 *
 * A conversation is one customer's thread with a brand. It starts at that customer's first
 * inbound tweet in a reply chain and holds everything below it that is the brand's replies and
 * that same customer's follow-ups. Walking up from any tweet through `in_response_to_tweet_id`:
 *   - brand (outbound) tweets are passed through;
 *   - the customer's own inbound tweets move the start up;
 *   - the walk stops at a tweet that is not in the file, or at another customer's tweet (someone
 *     answering a different customer's tweet starts their own conversation, so one customer's
 *     old broadcast does not swallow later strangers' threads).
 * Brand tweets with no customer tweet above them (marketing broadcasts, or replies to a tweet
 * outside this excerpt) belong to no conversation: they are listed in `unlinked-tweets.ndjson`
 * and in the notes, and not imported.
 *
 * Ticket: id = the first tweet's id, customer_id = its author, created_at = the earliest inbound
 * tweet of the conversation (raw Twitter date, the mapping reads its format), agent_id = the
 * brand handle of the earliest reply (null if no brand replied), reply_to_missing = the tweet the
 * first one answers when that tweet is outside the excerpt. Messages: author_kind customer
 * (inbound) or agent (the brand), author_id = user id or brand handle, body = the text. First
 * response times and reply counts are derived by Sada from the messages.
 *
 * Rows are read with the same CSV rules as `sada import` (RFC 4180 quotes, strict). A row that
 * cannot be read, has the wrong number of fields, or has an id / date / flag that is not one, is
 * returned as a problem with its line and left out of the linking. The file is read twice as a
 * stream (links first, then texts), so memory holds only ids and times, not the texts.
 */

const RAW = 'twcs_head.csv';
export const TWITTER_DATE_FORMAT = 'EEE MMM dd HH:mm:ss ZZZ yyyy';
const NEEDED = ['tweet_id', 'author_id', 'inbound', 'created_at', 'text', 'response_tweet_id', 'in_response_to_tweet_id'];
/** Tweets older than this before the median are reported as far older than the rest. */
const OLD_DAYS = 30;

interface Tweet {
  id: string;
  author: string;
  inbound: boolean;
  createdAt: string;
  time: number;
  parent: string | undefined;
  line: number;
}

interface Row {
  line: number;
  cells: Record<string, string>;
}

/** Reads the CSV as a stream; rows that cannot be used become problems. */
async function* readTweets(path: string, problems: ShapeProblem[] | undefined): AsyncGenerator<Row> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_records_with_error: true, skip_empty_lines: false }),
  );
  parser.on('skip', (error: Error & { lines?: number }) => {
    problems?.push({ file: RAW, line: error.lines ?? 0, reason: `unreadable row: ${error.message}` });
  });
  let header: string[] | undefined;
  let lastLine = 0;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = lastLine + 1;
    lastLine = info.lines;
    if (!header) {
      header = record.map((h) => h.trim());
      const missing = NEEDED.filter((c) => !header!.includes(c));
      if (missing.length > 0) throw new Error(`${RAW}: the header lacks ${missing.join(', ')}; is this the twcs file?`);
      continue;
    }
    if (record.length !== header.length) {
      problems?.push({ file: RAW, line, reason: `row has ${record.length} fields but the header has ${header.length}` });
      continue;
    }
    yield { line, cells: Object.fromEntries(header.map((name, i) => [name, record[i]!])) };
  }
}

function toTweet(row: Row): Tweet | string {
  const { cells, line } = row;
  const id = cells.tweet_id!.trim();
  if (!/^\d+$/.test(id)) return `tweet_id "${id}" is not a tweet id`;
  const author = cells.author_id!.trim();
  if (author === '') return 'author_id is empty';
  const inbound = cells.inbound!.trim();
  if (inbound !== 'True' && inbound !== 'False') return `inbound "${inbound}" is not True or False`;
  const createdAt = cells.created_at!.trim();
  const time = DateTime.fromFormat(createdAt, TWITTER_DATE_FORMAT, { setZone: true });
  if (!time.isValid) return `created_at "${createdAt}" is not a Twitter date like "Tue Oct 31 22:10:47 +0000 2017"`;
  const parentText = cells.in_response_to_tweet_id!.trim();
  const parentMatch = /^(\d+)(\.0*)?$/.exec(parentText);
  if (parentText !== '' && !parentMatch) return `in_response_to_tweet_id "${parentText}" is not a tweet id`;
  return { id, author, inbound: inbound === 'True', createdAt, time: time.toMillis(), parent: parentMatch?.[1], line };
}

export async function shape({ datasetDir, workDir }: ShapeOptions): Promise<ShapeResult> {
  const path = join(datasetDir, RAW);
  const problems: ShapeProblem[] = [];
  const notes: string[] = [];

  // Pass 1: the links, without the texts.
  const tweets = new Map<string, Tweet>();
  for await (const row of readTweets(path, problems)) {
    const tweet = toTweet(row);
    if (typeof tweet === 'string') {
      problems.push({ file: RAW, line: row.line, reason: tweet });
    } else if (tweets.has(tweet.id)) {
      problems.push({ file: RAW, line: row.line, reason: `tweet ${tweet.id} appears again (first on line ${tweets.get(tweet.id)!.line})` });
    } else {
      tweets.set(tweet.id, tweet);
    }
    const cr = (row.cells.text ?? '').match(/\r(?!\n)/g)?.length ?? 0;
    if (cr > 0) {
      notes.push(
        `line ${row.line} (tweet ${row.cells.tweet_id}): its text holds ${cr} bare carriage return(s) (CR without LF); ` +
          `Sada reads them as part of the text, which leaves the row its ${Object.keys(row.cells).length} fields; ` +
          `a reader that ends lines at a lone CR (Python's csv module does) splits this line into broken rows`,
      );
    }
  }

  const rootCache = new Map<string, string | undefined>();
  const rootOf = (start: Tweet): string | undefined => {
    if (rootCache.has(start.id)) return rootCache.get(start.id);
    let current = start;
    let candidate = start.inbound ? start : undefined;
    const seen = new Set([start.id]);
    for (;;) {
      const parent = current.parent === undefined ? undefined : tweets.get(current.parent);
      if (!parent || seen.has(parent.id)) break;
      if (parent.inbound) {
        if (candidate && candidate.author !== parent.author) break;
        candidate = parent;
      }
      seen.add(parent.id);
      current = parent;
    }
    rootCache.set(start.id, candidate?.id);
    return candidate?.id;
  };

  interface Conversation {
    root: Tweet;
    firstInbound: Tweet;
    firstReply: Tweet | undefined;
  }
  const conversations = new Map<string, Conversation>();
  const unlinked: Tweet[] = [];
  for (const tweet of tweets.values()) {
    const rootId = rootOf(tweet);
    if (rootId === undefined) {
      unlinked.push(tweet);
      continue;
    }
    const root = tweets.get(rootId)!;
    const c = conversations.get(rootId) ?? { root, firstInbound: root, firstReply: undefined };
    conversations.set(rootId, c);
    if (tweet.inbound && tweet.time < c.firstInbound.time) c.firstInbound = tweet;
    if (!tweet.inbound && (!c.firstReply || tweet.time < c.firstReply.time)) c.firstReply = tweet;
  }

  const ticketsOut = new LineWriter(join(workDir, 'tickets.ndjson'));
  let missingStart = 0;
  for (const c of conversations.values()) {
    const replyToMissing = c.root.parent !== undefined && !tweets.has(c.root.parent) ? c.root.parent : undefined;
    if (replyToMissing) missingStart++;
    await ticketsOut.json({
      id: c.root.id,
      created_at: c.firstInbound.createdAt,
      customer_id: c.root.author,
      agent_id: c.firstReply?.author ?? null,
      reply_to_missing: replyToMissing ?? null,
      source_line: c.root.line,
    });
  }
  await ticketsOut.close();

  // Pass 2: the messages, with their texts, in file order.
  const messagesOut = new LineWriter(join(workDir, 'messages.ndjson'));
  let messages = 0;
  for await (const row of readTweets(path, undefined)) {
    const tweet = tweets.get(row.cells.tweet_id!.trim());
    if (!tweet || tweet.line !== row.line) continue; // a problem row, reported in pass 1
    const ticketId = rootOf(tweet);
    if (ticketId === undefined) continue;
    messages++;
    await messagesOut.json({
      id: tweet.id,
      ticket_id: ticketId,
      author_kind: tweet.inbound ? 'customer' : 'agent',
      author_id: tweet.author,
      sent_at: tweet.createdAt,
      body: row.cells.text,
      in_response_to: tweet.parent ?? null,
      response_tweet_ids: row.cells.response_tweet_id?.trim() || null,
      source_line: tweet.line,
    });
  }
  await messagesOut.close();

  const unlinkedOut = new LineWriter(join(workDir, 'unlinked-tweets.ndjson'));
  for (const t of unlinked) {
    await unlinkedOut.json({ id: t.id, author_id: t.author, created_at: t.createdAt, in_response_to: t.parent ?? null, source_line: t.line });
  }
  await unlinkedOut.close();

  const times = [...tweets.values()].map((t) => t.time).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const old = [...tweets.values()].filter((t) => t.time < median - OLD_DAYS * 86_400_000).sort((a, b) => a.time - b.time);
  const iso = (t: Tweet) => new Date(t.time).toISOString().slice(0, 10);

  notes.unshift(
    `${tweets.size} tweets → ${conversations.size} conversations (tickets.ndjson) with ${messages} tweets (messages.ndjson)`,
    `${unlinked.length} brand tweets belong to no customer conversation (broadcasts, or replies to a tweet outside this excerpt) and are not imported; ` +
      `listed in unlinked-tweets.ndjson (e.g. ${unlinked.slice(0, 5).map((t) => `tweet ${t.id}, line ${t.line}`).join('; ')})`,
    `${missingStart} conversations start with a reply to a tweet outside this excerpt (ticket attribute reply_to_missing)`,
  );
  if (old.length > 0) {
    notes.push(
      `${old.length} tweets are more than ${OLD_DAYS} days older than the median tweet (${new Date(median).toISOString().slice(0, 10)}): ` +
        old.map((t) => `${t.id} (${iso(t)}, line ${t.line})`).join(', ') +
        `; they are kept: the tickets they start count in those months, and their threads run on into late 2017`,
    );
  }
  return { files: ['tickets.ndjson', 'messages.ndjson', 'unlinked-tweets.ndjson'], notes, problems };
}
