import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Database } from '../src/storage/database.ts';
import { describeEachEngine } from '../test/support/databases.ts';
import { metricReport, type MetricRequest } from '../src/reports/metric-report.ts';
import { findWorkspace } from '../src/storage/workspaces.ts';
import { defaultDatasetsDir, formatExampleReport, listExamples, runExamples, type ExampleResult } from './run.ts';

/**
 * Loads every real dataset the way `sada examples` does, and checks the outcome against the raw
 * files read here with a deliberately simple reader of our own (not the importer's), so a bug in
 * the importer or a mapping cannot agree with itself. Each dataset runs twice: the second run
 * must change nothing.
 */

const DATASETS = defaultDatasetsDir();
const available = existsSync(DATASETS);
const reportRoot = mkdtempSync(join(tmpdir(), 'sada-examples-test-'));

// ---- an independent reader -------------------------------------------------------------

interface RawRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records: quotes open a field only at its start, "" inside quotes is a quote, a record
 * ends at LF or CRLF outside quotes (a lone CR is text). A quote inside an unquoted field is text.
 */
function parseCsv(text: string, delimiter = ','): RawRecord[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: RawRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      continue;
    }
    fieldStart = false;
    if (c === delimiter) {
      fields.push(field);
      field = '';
      fieldStart = true;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      fields.push(field);
      records.push({ line: start, fields });
      fields = [];
      field = '';
      line++;
      start = line;
      fieldStart = true;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: start, fields });
  }
  return records;
}

/** Header + rows as objects (header names trimmed), with the line each row starts on. */
function readTable(path: string, delimiter = ','): { header: string[]; rows: Array<{ line: number; cells: Record<string, string>; fields: string[] }> } {
  const [head, ...rest] = parseCsv(readFileSync(path, 'utf8'), delimiter);
  const header = head!.fields.map((h) => h.trim());
  return {
    header,
    rows: rest.map((r) => ({ line: r.line, fields: r.fields, cells: Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? ''])) })),
  };
}

const file = (dataset: string, name: string) => join(DATASETS, dataset, name);

// ---- helpers over the results ------------------------------------------------------------

function stepFor(result: ExampleResult, mapping: string, fileName?: string) {
  const step = result.steps.find((s) => s.mapping === mapping && (fileName === undefined || s.file.endsWith(fileName)));
  assert.ok(step, `no step with ${mapping} ${fileName ?? ''}`);
  return step.summary;
}

function counts(result: ExampleResult, mapping: string, fileName?: string) {
  const s = stepFor(result, mapping, fileName);
  return { inserted: s.inserted, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected };
}

async function one<R>(db: Database, sql: string, params: unknown[]): Promise<R> {
  const rows = await db.query<R>(sql, params);
  assert.equal(rows.length, 1, `expected one row from ${sql}`);
  return rows[0]!;
}

describeEachEngine('examples: the real public datasets', (t) => {
  /** First-run results by dataset, for the report test. */
  const firstRuns = new Map<string, ExampleResult>();

  /** Runs one dataset from scratch, then again; returns both results and the workspace id. */
  async function runTwice(dataset: string) {
    await t.db.query('DELETE FROM workspaces WHERE name = $1', [dataset]);
    const reportDir = join(reportRoot, t.db.engine);
    const [first] = await runExamples(t.db, { reportDir, only: [dataset] });
    const [second] = await runExamples(t.db, { reportDir, only: [dataset] });
    assert.ok(first && second);
    firstRuns.set(dataset, first);
    assert.equal(first.workspace, dataset, 'the workspace is named after the folder');
    for (const step of second.steps) {
      assert.deepEqual(
        [step.summary.inserted, step.summary.updated],
        [0, 0],
        `a second run of ${step.mapping} on ${step.file} changes nothing`,
      );
      assert.equal(step.summary.status, 'done');
    }
    const { id } = await one<{ id: number }>(t.db, 'SELECT id FROM workspaces WHERE name = $1', [dataset]);
    const count = async (table: string, where = 'TRUE', params: unknown[] = []) =>
      (await one<{ n: number }>(t.db, `SELECT count(*)::integer AS n FROM ${table} WHERE workspace_id = $1 AND ${where}`, [id, ...params])).n;
    return { first, second, workspaceId: id, count };
  }

  test('every dataset folder has an example', { skip: !available && `datasets not found at ${DATASETS}` }, () => {
    assert.deepEqual(listExamples(), [
      'callcenter-anonymous-bank',
      'cdnow',
      'employee-exit-qld',
      'mozilla-heartbeat-input',
      'olist-classified',
      'omcca-arabic',
      'twcs-excerpt',
    ]);
  });

  test('olist-classified: orders, customers and CSAT reviews', { skip: !available }, async () => {
    const { rows } = readTable(file('olist-classified', 'olist_classified_public_dataset.csv'));
    const n = new Set(rows.map((r) => r.cells.id)).size;
    assert.equal(n, rows.length, 'the id column is unique');
    const { first, workspaceId, count } = await runTwice('olist-classified');
    for (const mapping of ['customers.mapping.json', 'orders.mapping.json', 'responses.mapping.json']) {
      assert.deepEqual(counts(first, mapping), { inserted: n, updated: 0, unchanged: 0, rejected: 0 }, mapping);
    }
    assert.equal(await count('responses', "kind = 'csat' AND touchpoint = 'shipping' AND language = 'pt'"), n);
    const fives = rows.filter((r) => r.cells.review_score === '5').length;
    assert.equal(await count('responses', 'score = 5'), fives);

    const raw = rows.find((r) => r.cells.id === '3')!.cells;
    const review = await one<{ score: number; comment: string; submitted_at: Date; attributes: Record<string, string> }>(
      t.db,
      "SELECT score, comment, submitted_at, attributes FROM responses WHERE workspace_id = $1 AND id = '3'",
      [workspaceId],
    );
    assert.equal(review.score, Number(raw.review_score));
    assert.equal(review.comment, raw.review_comment_message);
    assert.equal(review.submitted_at.toISOString(), new Date(raw.review_answer_timestamp!.replace(' ', 'T')).toISOString());
    assert.equal(review.attributes.complaint_class, raw.most_voted_class);
    const order = await one<{ placed_at: Date; status: string; amount: number; customer_id: string }>(
      t.db,
      "SELECT placed_at, status, amount, customer_id FROM orders WHERE workspace_id = $1 AND id = '3'",
      [workspaceId],
    );
    // 2018-01-15 15:50:42 in São Paulo, on summer time (UTC−2) then.
    assert.equal(raw.order_purchase_timestamp, '2018-01-15 15:50:42.000000');
    assert.equal(order.placed_at.toISOString(), '2018-01-15T17:50:42.000Z');
    assert.equal(order.amount, Number(raw.order_products_value));
    assert.equal(order.customer_id, '3');
    const canceled = rows.filter((r) => r.cells.order_status === 'canceled').length;
    assert.equal(await count('orders', "status = 'cancelled'"), canceled);
  });

  test('omcca-arabic: six parts of Arabic reviews; the row without an id is a reject', { skip: !available }, async () => {
    const parts = [1, 2, 3, 4, 5, 6].map((i) => `omcca_reviews_part0${i}.csv`);
    const { first, workspaceId, count } = await runTwice('omcca-arabic');
    let total = 0;
    for (const part of parts) {
      const { rows } = readTable(file('omcca-arabic', part));
      const noId = rows.filter((r) => r.cells.id!.trim() === '');
      total += rows.length - noId.length;
      const summary = stepFor(first, 'responses.mapping.json', part);
      assert.deepEqual(counts(first, 'responses.mapping.json', part), { inserted: rows.length - noId.length, updated: 0, unchanged: 0, rejected: noId.length }, part);
      assert.deepEqual(
        summary.firstRejects.map((p) => [p.line, p.field, p.reason]),
        noId.map((r) => [r.line, 'id', 'id is required but empty']),
      );
    }
    assert.equal(total, 27_912, 'the README says 27,913 rows, one of them without an id');
    assert.equal(await count('responses'), total);
    assert.deepEqual(stepFor(first, 'responses.mapping.json', parts[0]).firstRejects[0]?.line, 2);

    const raw = readTable(file('omcca-arabic', parts[0]!)).rows.find((r) => r.cells.id === '12')!.cells;
    const stored = await one<{ score: number; comment: string; language: string; submitted_at: Date; attributes: Record<string, string> }>(
      t.db,
      "SELECT score, comment, language, submitted_at, attributes FROM responses WHERE workspace_id = $1 AND id = '12'",
      [workspaceId],
    );
    assert.deepEqual(
      [stored.score, stored.comment, stored.language, stored.attributes.category, stored.attributes.city],
      [Number(raw.rate), raw.body, 'ar', raw.catogary, raw.city],
    );
    assert.equal(stored.submitted_at.toISOString(), '2011-08-20T10:41:22.121Z');
    assert.equal(raw.date, '2011-08-20 10:41:22.121 UTC');
    assert.equal(await count('responses', "attributes->>'city' LIKE '%data%'"), 0, 'no file path left in city');
  });

  test('mozilla-heartbeat-input: Heartbeat CSAT and Input happy/sad ratings', { skip: !available }, async () => {
    const heartbeat = readTable(file('mozilla-heartbeat-input', 'heartbeat_score_model.csv')).rows;
    const input = readTable(file('mozilla-heartbeat-input', 'feedbackSample.csv')).rows;
    const copies = input.length - new Set(input.map((r) => JSON.stringify(r.fields))).size;
    assert.equal(copies, 12);
    const { first, count } = await runTwice('mozilla-heartbeat-input');
    assert.deepEqual(counts(first, 'heartbeat.mapping.json'), { inserted: heartbeat.length, updated: 0, unchanged: 0, rejected: 0 });
    assert.deepEqual(counts(first, 'input-feedback.mapping.json'), { inserted: input.length, updated: 0, unchanged: 0, rejected: 0 });
    assert.equal(await count('responses', "kind = 'rating' AND id ~ ':[0-9]+$'"), copies, 'exact copies are numbered, not merged');
    assert.equal(await count('responses', "kind = 'rating' AND answer = 'happy' AND score = 1"), input.filter((r) => r.cells.happy === '1').length);
    assert.equal(await count('responses', "kind = 'csat' AND channel = 'app'"), heartbeat.length, "the file's channel column is not Sada's channel");
    assert.equal(
      await count('responses', "kind = 'csat' AND attributes->>'release_channel' = 'nightly'"),
      heartbeat.filter((r) => r.cells.channel === 'nightly').length,
    );
    for (const score of ['1', '5']) {
      assert.equal(await count('responses', "kind = 'csat' AND score = $2", [Number(score)]), heartbeat.filter((r) => r.cells.score === score).length);
    }
  });

  test('cdnow: whitespace, YYYYMMDD, no order id; identical lines stay separate purchases', { skip: !available }, async () => {
    const lines = readFileSync(file('cdnow', 'CDNOW_master.txt'), 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
    const customers = new Set(lines.map((l) => l.trim().split(/\s+/)[0]));
    const times = new Map<string, number>();
    for (const l of lines) times.set(l, (times.get(l) ?? 0) + 1);
    const repeated = [...times.values()].filter((n) => n > 1);
    const repeats = repeated.reduce((sum, n) => sum + n - 1, 0);
    // 215 distinct lines appear more than once, with 255 extra copies in all (one line 9 times).
    assert.deepEqual([lines.length, customers.size, repeated.length, repeats], [69_659, 23_570, 215, 255]);
    const { first, workspaceId, count } = await runTwice('cdnow');
    assert.deepEqual(counts(first, 'orders.mapping.json'), { inserted: lines.length, updated: 0, unchanged: 0, rejected: 0 });
    assert.deepEqual(counts(first, 'customers.mapping.json'), { inserted: customers.size, updated: 0, unchanged: 0, rejected: 0 });
    assert.equal(first.shaping?.problems.length, 0);
    assert.equal(await count('orders', "id ~ ':[0-9]+$'"), repeats, 'repeated lines get numbered content-hash ids');
    const total = lines.reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[3]), 0);
    const stored = await one<{ total: number }>(t.db, 'SELECT sum(amount) AS total FROM orders WHERE workspace_id = $1', [workspaceId]);
    assert.ok(Math.abs(stored.total - total) < 0.01, `amounts add up (${stored.total} vs ${total})`);
    const c2 = await one<{ signup_at: Date; n: number }>(
      t.db,
      "SELECT c.signup_at, (SELECT count(*)::integer FROM orders o WHERE o.workspace_id = c.workspace_id AND o.customer_id = c.id) AS n FROM customers c WHERE c.workspace_id = $1 AND c.id = '00002'",
      [workspaceId],
    );
    assert.equal(c2.n, lines.filter((l) => l.trim().startsWith('00002 ')).length);
    assert.equal(c2.signup_at.toISOString(), '1997-01-12T05:00:00.000Z', 'midnight in New York');
  });

  test('callcenter-anonymous-bank: one phone ticket per call, with times across midnight', { skip: !available }, async () => {
    const { rows } = readTable(file('callcenter-anonymous-bank', 'data_anonymous_bank_february.txt'), '\t');
    const { first, workspaceId, count } = await runTwice('callcenter-anonymous-bank');
    assert.deepEqual(counts(first, 'tickets.mapping.json'), { inserted: rows.length, updated: 0, unchanged: 0, rejected: 0 });
    assert.equal(first.shaping?.problems.length, 0);
    const outcome = (o: string) => rows.filter((r) => r.cells.outcome === o);
    assert.equal(await count('tickets', "status = 'abandoned'"), outcome('HANG').length);
    assert.equal(await count('tickets', "status = 'closed'"), outcome('AGENT').length);
    assert.equal(await count('tickets', 'status IS NULL'), outcome('PHANTOM').length);
    assert.equal(await count('tickets', "channel = 'phone'"), rows.length);
    const served = outcome('AGENT').reduce((sum, r) => sum + Number(r.cells.ser_time), 0);
    const stored = await one<{ total: number }>(t.db, 'SELECT sum(handle_seconds) AS total FROM tickets WHERE workspace_id = $1', [workspaceId]);
    assert.equal(stored.total, served, 'handle time is the service time of answered calls');
    const zero = outcome('AGENT').filter((r) => r.cells.ser_time === '0').length;
    assert.equal(await count('tickets', "status = 'closed' AND handle_seconds = 0"), zero, 'service times of 0 are kept');
    assert.equal(
      await count('tickets', 'agent_id IS NULL'),
      rows.filter((r) => r.cells.server === 'NO_SERVER').length,
    );

    // Line 2 of the raw file: 990201, entry 7:02:47, service 7:02:55–7:05:41, Jerusalem winter time (UTC+2).
    const call = await one<{ created_at: Date; first_response_at: Date; closed_at: Date; handle_seconds: number; agent_id: string; category: string }>(
      t.db,
      "SELECT created_at, first_response_at, closed_at, handle_seconds, agent_id, category FROM tickets WHERE workspace_id = $1 AND id = 'AA0101-34536'",
      [workspaceId],
    );
    assert.deepEqual(rows[0]!.fields.slice(0, 7), ['AA0101', '34536', '0', '0', 'PS', '990201', '7:02:47']);
    assert.deepEqual(
      [call.created_at.toISOString(), call.first_response_at.toISOString(), call.closed_at.toISOString(), call.handle_seconds, call.agent_id, call.category],
      ['1999-02-01T05:02:47.000Z', '1999-02-01T05:02:55.000Z', '1999-02-01T05:05:41.000Z', 166, 'DORIT', 'PS'],
    );
    // Entry 23:59:54 on 15 February, service from 0:00:26 the next day.
    const late = rows.find((r) => r.cells['vru+line'] === 'AA0102' && r.cells.call_id === '31056')!.cells;
    assert.deepEqual([late.date, late.vru_entry, late.ser_start], ['990215', '23:59:54', '0:00:26']);
    const crossed = await one<{ created_at: Date; first_response_at: Date }>(
      t.db,
      "SELECT created_at, first_response_at FROM tickets WHERE workspace_id = $1 AND id = 'AA0102-31056'",
      [workspaceId],
    );
    assert.equal(crossed.created_at.toISOString(), '1999-02-15T21:59:54.000Z');
    assert.equal(crossed.first_response_at.toISOString(), '1999-02-15T22:00:26.000Z');
  });

  test('employee-exit-qld: DETE and TAFE employees and ESAT; the TAFE header is off', { skip: !available }, async () => {
    const dete = readTable(file('employee-exit-qld', 'dete_survey.csv'));
    const tafe = readTable(file('employee-exit-qld', 'tafe_survey.csv'));
    assert.equal(tafe.header.length, 74);
    assert.ok(tafe.rows.every((r) => r.fields.length === 72), 'every TAFE row has 72 fields');
    const { first, count } = await runTwice('employee-exit-qld');
    assert.deepEqual(counts(first, 'dete-employees.mapping.json'), { inserted: dete.rows.length, updated: 0, unchanged: 0, rejected: 0 });
    assert.deepEqual(counts(first, 'tafe-employees.mapping.json'), { inserted: tafe.rows.length, updated: 0, unchanged: 0, rejected: 0 });
    assert.match(stepFor(first, 'tafe-employees.mapping.json').warnings.join('\n'), /702 row\(s\) have 72 fields but the header has 74/);

    const deteScale = new Set(['SD', 'D', 'N', 'A', 'SA']);
    const deteItems = { supervision: 'Performance of supervisor', 'work-life-balance': 'Worklife balance', 'work-environment': 'Physical environment' };
    let expected = 0;
    for (const [question, column] of Object.entries(deteItems)) {
      const good = dete.rows.filter((r) => deteScale.has(r.cells[column]!) && r.cells['Cease Date'] !== 'Not Stated');
      expected += good.length;
      assert.deepEqual(
        counts(first, `dete-esat-${question}.mapping.json`),
        { inserted: good.length, updated: 0, unchanged: 0, rejected: dete.rows.length - good.length },
        question,
      );
      const m = stepFor(first, `dete-esat-${question}.mapping.json`).firstRejects.find((p) => p.value === 'M');
      if (m) assert.equal(dete.rows.find((r) => r.line === m.line)?.cells[column], 'M');
    }
    // TAFE: the statements sit at the same positions in header and rows up to column 45.
    const tafeScale = new Set(['Strongly Disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly Agree']);
    for (const [question, position] of Object.entries({ supervision: 32, 'work-life-balance': 43, 'work-environment': 45 })) {
      const good = tafe.rows.filter((r) => tafeScale.has(r.fields[position - 1]!) && r.fields[3]!.trim() !== '');
      expected += good.length;
      assert.deepEqual(
        counts(first, `tafe-esat-${question}.mapping.json`),
        { inserted: good.length, updated: 0, unchanged: 0, rejected: tafe.rows.length - good.length },
        question,
      );
    }
    assert.equal(await count('responses', "kind = 'esat'"), expected);
    assert.equal(await count('responses', "kind = 'esat' AND employee_id NOT IN (SELECT id FROM employees WHERE workspace_id = $1)"), 0);
    const row1 = dete.rows[0]!.cells;
    const stored = await one<{ score: number; left_at: Date; role: string }>(
      t.db,
      "SELECT r.score, e.left_at, e.role FROM responses r JOIN employees e ON e.workspace_id = r.workspace_id AND e.id = r.employee_id WHERE r.workspace_id = $1 AND r.id = 'dete-1-supervision'",
      [(await one<{ id: number }>(t.db, "SELECT id FROM workspaces WHERE name = 'employee-exit-qld'", [])).id],
    );
    assert.deepEqual([row1.ID, row1['Performance of supervisor'], row1['Cease Date'], row1.Position], ['1', 'A', '08/2012', 'Public Servant']);
    assert.deepEqual([stored.score, stored.left_at.toISOString(), stored.role], [4, '2012-07-31T14:00:00.000Z', 'Public Servant']);
  });

  test('twcs-excerpt: tweets linked into conversations; every customer tweet kept', { skip: !available }, async () => {
    const { rows } = readTable(file('twcs-excerpt', 'twcs_head.csv'));
    assert.equal(rows.length, 5000);
    assert.ok(rows.every((r) => r.fields.length === 8), 'read with LF/CRLF line ends, every row has its 8 fields');
    const byId = new Map(rows.map((r) => [r.cells.tweet_id!, r]));
    const { first, workspaceId, count } = await runTwice('twcs-excerpt');
    const shaping = first.shaping!;
    assert.deepEqual(shaping.problems, []);
    assert.equal(counts(first, 'tickets.mapping.json').rejected, 0);
    assert.equal(counts(first, 'messages.mapping.json').rejected, 0);

    const unlinked = readFileSync(join(shaping.workDir, 'unlinked-tweets.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    const messages = await count('messages');
    assert.equal(messages + unlinked.length, rows.length, 'every tweet is a message or listed as unlinked');
    assert.equal(counts(first, 'messages.mapping.json').inserted, messages);
    assert.ok(unlinked.every((u) => byId.get(u.id)?.cells.inbound === 'False'), 'only brand tweets are left out');
    assert.equal(await count('messages', "author_kind = 'customer'"), rows.filter((r) => r.cells.inbound === 'True').length);

    const tickets = await t.db.query<{ id: string; customer_id: string; agent_id: string | null }>(
      'SELECT id, customer_id, agent_id FROM tickets WHERE workspace_id = $1',
      [workspaceId],
    );
    assert.equal(counts(first, 'tickets.mapping.json').inserted, tickets.length);
    for (const ticket of tickets) {
      const root = byId.get(ticket.id);
      assert.ok(root && root.cells.inbound === 'True' && root.cells.author_id === ticket.customer_id, `ticket ${ticket.id} starts at its customer's tweet`);
    }
    assert.equal(await count('messages', 'ticket_id NOT IN (SELECT id FROM tickets WHERE workspace_id = $1)'), 0);

    // The line Python's csv calls broken: two bare CRs inside tweet 3399's text.
    const broken = rows.find((r) => r.cells.tweet_id === '3399')!;
    assert.equal(broken.line, 2589);
    assert.ok(shaping.notes.some((n) => n.startsWith('line 2589 (tweet 3399)')), 'the bare CRs are reported');
    const tweet = await one<{ body: string; ticket_id: string }>(t.db, "SELECT body, ticket_id FROM messages WHERE workspace_id = $1 AND id = '3399'", [workspaceId]);
    assert.equal(tweet.body, broken.cells.text);
    assert.ok(tweet.body.includes('\r\r'));
    const ticket = await one<{ created_at: Date; first_response_at: Date; agent_id: string }>(
      t.db,
      'SELECT created_at, first_response_at, agent_id FROM tickets WHERE workspace_id = $1 AND id = $2',
      [workspaceId, tweet.ticket_id],
    );
    assert.equal(byId.get('3398')!.cells.in_response_to_tweet_id, '3399.0');
    assert.deepEqual(
      [ticket.created_at.toISOString(), ticket.first_response_at.toISOString(), ticket.agent_id],
      [new Date(broken.cells.created_at!).toISOString(), new Date(byId.get('3398')!.cells.created_at!).toISOString(), 'AskPayPal'],
    );

    // Thirteen tweets far older than the rest (before October 2017) are kept and reported.
    const old = rows.filter((r) => new Date(r.cells.created_at!).getTime() < Date.UTC(2017, 9, 1));
    assert.equal(old.length, 13);
    const note = shaping.notes.find((n) => n.startsWith('13 tweets are more than'));
    assert.ok(note, 'the old tweets are reported');
    for (const r of old) assert.ok(note.includes(`${r.cells.tweet_id} (`), `tweet ${r.cells.tweet_id} is listed`);
    assert.equal(await count('tickets', "id = '348' AND created_at < '2012-01-01'"), 1, 'the 2011 tweet is a ticket of its own');
  });

  test('the report shows counts, rejects with line and reason, and warnings', { skip: !available }, async () => {
    const wanted = ['employee-exit-qld', 'omcca-arabic'];
    const missing = wanted.filter((d) => !firstRuns.has(d)); // when this test runs alone
    if (missing.length > 0) {
      for (const r of await runExamples(t.db, { reportDir: join(reportRoot, `${t.db.engine}-report`), only: missing })) firstRuns.set(r.dataset, r);
    }
    const report = formatExampleReport(wanted.map((d) => firstRuns.get(d)!));
    assert.match(report, /omcca-arabic — workspace "omcca-arabic"/);
    assert.match(report, /reject line 2, column id \(column 1\): id is required but empty/);
    assert.match(report, /warning: 702 row\(s\) have 72 fields but the header has 74/);
    assert.match(report, /2 dataset\(s\): \d+ inserted, \d+ updated, \d+ unchanged, \d+ rejected/);
  });

  // ---- the metrics on real data, each against a value computed here from the raw file ----

  /** Wilson score interval written out independently of src/stats (z for 95%). */
  function wilson(x: number, n: number): [number, number] {
    const z = 1.959963984540054;
    const p = x / n;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    return [(centre - half) * 100, (centre + half) * 100];
  }
  const near = (a: number | null | undefined, b: number, tolerance = 1e-9) => assert.ok(a != null && Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b)), `${a} ≈ ${b}`);

  async function reportOn(dataset: string, request: MetricRequest) {
    let workspace = await findWorkspace(t.db, dataset);
    if (!workspace) {
      await runExamples(t.db, { reportDir: join(reportRoot, `${t.db.engine}-metrics`), only: [dataset] });
      workspace = await findWorkspace(t.db, dataset);
    }
    return metricReport(t.db, workspace!, request);
  }

  function groupShares<T>(rows: T[], groupOf: (row: T) => string, success: (row: T) => boolean) {
    const byGroup = new Map<string, { x: number; n: number }>();
    for (const row of rows) {
      const g = byGroup.get(groupOf(row)) ?? { x: 0, n: 0 };
      g.n++;
      if (success(row)) g.x++;
      byGroup.set(groupOf(row), g);
    }
    return byGroup;
  }

  test('metrics: CSAT of the Olist reviews, overall and by complaint class', { skip: !available }, async () => {
    const { rows } = readTable(file('olist-classified', 'olist_classified_public_dataset.csv'));
    const satisfied = rows.filter((r) => Number(r.cells.review_score) >= 4).length;
    const [overall] = (await reportOn('olist-classified', { metric: 'csat' })).groups;
    assert.equal(overall?.n, rows.length);
    near(overall?.value, (satisfied / rows.length) * 100);
    near(overall!.ci![0], wilson(satisfied, rows.length)[0], 1e-9);
    near(overall!.ci![1], wilson(satisfied, rows.length)[1], 1e-9);
    const expected = groupShares(rows, (r) => r.cells.most_voted_class!, (r) => Number(r.cells.review_score) >= 4);
    const byClass = await reportOn('olist-classified', { metric: 'csat', by: ['attribute.complaint_class'] });
    assert.equal(byClass.groups.length, expected.size);
    for (const g of byClass.groups) {
      const e = expected.get(g.key['attribute.complaint_class'] ?? '')!;
      assert.equal(g.n, e.n);
      near(g.value, (e.x / e.n) * 100);
    }
  });

  test('metrics: CSAT of the Arabic reviews by category', { skip: !available }, async () => {
    const rows = [1, 2, 3, 4, 5, 6].flatMap((i) => readTable(file('omcca-arabic', `omcca_reviews_part0${i}.csv`)).rows).filter((r) => r.cells.id!.trim() !== '');
    const expected = groupShares(rows, (r) => r.cells.catogary!, (r) => Number(r.cells.rate) >= 4);
    const result = await reportOn('omcca-arabic', { metric: 'csat', by: ['attribute.category'] });
    assert.equal(result.groups.length, expected.size);
    for (const g of result.groups) {
      const e = expected.get(g.key['attribute.category']!)!;
      assert.deepEqual([g.n, g.positive], [e.n, e.x], g.key['attribute.category']!);
      near(g.value, (e.x / e.n) * 100);
    }
  });

  test('metrics: Heartbeat satisfaction by release channel', { skip: !available }, async () => {
    const { rows } = readTable(file('mozilla-heartbeat-input', 'heartbeat_score_model.csv'));
    const expected = groupShares(rows, (r) => r.cells.channel!, (r) => Number(r.cells.score) >= 4);
    const result = await reportOn('mozilla-heartbeat-input', { metric: 'csat', by: ['attribute.release_channel'], where: ['survey=firefox-heartbeat'] });
    assert.deepEqual(result.groups.map((g) => g.key['attribute.release_channel']).sort(), [...expected.keys()].sort());
    for (const g of result.groups) {
      const e = expected.get(g.key['attribute.release_channel']!)!;
      assert.equal(g.n, e.n);
      near(g.value, (e.x / e.n) * 100);
      const mean = rows.filter((r) => r.cells.channel === g.key['attribute.release_channel']).reduce((sum, r) => sum + Number(r.cells.score), 0) / e.n;
      near(g.mean as number, mean, 1e-9);
    }
  });

  test('metrics: AHT and volume of the bank call centre', { skip: !available }, async () => {
    const { rows } = readTable(file('callcenter-anonymous-bank', 'data_anonymous_bank_february.txt'), '\t');
    const handled = rows.filter((r) => r.cells.outcome === 'AGENT' && Number(r.cells.ser_time) > 0).map((r) => Number(r.cells.ser_time));
    const [aht] = (await reportOn('callcenter-anonymous-bank', { metric: 'aht' })).groups;
    assert.equal(aht?.n, handled.length);
    near(aht?.value, handled.reduce((a, b) => a + b, 0) / handled.length, 1e-9);
    const volume = await reportOn('callcenter-anonymous-bank', { metric: 'volume', by: ['month'] });
    assert.deepEqual(volume.groups.map((g) => [g.key.month, g.value]), [['1999-02', rows.length]], 'every call in February, Jerusalem time');
    const byType = await reportOn('callcenter-anonymous-bank', { metric: 'volume', by: ['category'] });
    const types = groupShares(rows, (r) => r.cells.type!, () => true);
    for (const g of byType.groups) {
      assert.equal(g.value, types.get(g.key.category!)!.n);
      near(g.share as number, (types.get(g.key.category!)!.n / rows.length) * 100);
    }
    const byAgent = await reportOn('callcenter-anonymous-bank', { metric: 'aht', by: ['agent'], where: ['agent=DORIT'] });
    const dorit = handled.length && rows.filter((r) => r.cells.server === 'DORIT' && r.cells.outcome === 'AGENT' && Number(r.cells.ser_time) > 0);
    assert.equal(byAgent.groups[0]?.n, (dorit as typeof rows).length);
  });

  test('metrics: repeat purchases, churn and retention of CDNOW', { skip: !available }, async () => {
    const lines = readFileSync(file('cdnow', 'CDNOW_master.txt'), 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
    const orders = lines.map((l) => {
      const [customer, day] = l.trim().split(/\s+/);
      return { customer: customer!, day: `${day!.slice(0, 4)}-${day!.slice(4, 6)}-${day!.slice(6, 8)}` };
    });
    const perCustomer = new Map<string, string[]>();
    for (const o of orders) perCustomer.set(o.customer, [...(perCustomer.get(o.customer) ?? []), o.day]);
    const repeaters = [...perCustomer.values()].filter((days) => days.length >= 2).length;
    const [repeat] = (await reportOn('cdnow', { metric: 'repeat_purchase_rate' })).groups;
    assert.deepEqual([repeat?.n, repeat?.count], [perCustomer.size, repeaters]);
    // Churn in July 1997 with T = 90 days: active at an instant = an order in the 90 days before it.
    const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
    const start = dayNumber('1997-07-01');
    const end = dayNumber('1997-08-01');
    const activeAt = (days: string[], at: number) => days.some((d) => dayNumber(d) >= at - 90 && dayNumber(d) < at);
    let atStart = 0;
    let churned = 0;
    let atEnd = 0;
    let newcomers = 0;
    for (const days of perCustomer.values()) {
      const s = activeAt(days, start);
      const e = activeAt(days, end);
      if (s) atStart++;
      if (e) atEnd++;
      if (s && !e) churned++;
      const first = Math.min(...days.map(dayNumber));
      if (first >= start && first < end) newcomers++;
    }
    const churn = (await reportOn('cdnow', { metric: 'churn', from: '1997-07-01', to: '1997-07-31' })).groups[0]!;
    assert.deepEqual([churn.n, churn.churned, churn.customers_at_end, churn.new_customers], [atStart, churned, atEnd, newcomers]);
    near(churn.value, (churned / atStart) * 100);
    const retention = (await reportOn('cdnow', { metric: 'retention', from: '1997-07-01', to: '1997-07-31' })).groups[0]!;
    near(retention.value, ((atEnd - newcomers) / atStart) * 100);
  });

  test('metrics: ESAT of the DETE exit survey (supervision item)', { skip: !available }, async () => {
    const dete = readTable(file('employee-exit-qld', 'dete_survey.csv'));
    const scale: Record<string, number> = { SD: 1, D: 2, N: 3, A: 4, SA: 5 };
    const answers = dete.rows.filter((r) => r.cells['Performance of supervisor']! in scale && r.cells['Cease Date'] !== 'Not Stated');
    const satisfied = answers.filter((r) => scale[r.cells['Performance of supervisor']!]! >= 4).length;
    const result = await reportOn('employee-exit-qld', { metric: 'esat', where: ['question=supervision', 'attribute.survey=DETE'] });
    assert.equal(result.groups[0]?.n, answers.length);
    near(result.groups[0]?.value, (satisfied / answers.length) * 100);
  });

  test('metrics: first response time of the Twitter support threads', { skip: !available }, async () => {
    const { rows } = readTable(file('twcs-excerpt', 'twcs_head.csv'));
    const tweets = new Map(rows.filter((r) => r.fields.length === 8).map((r) => [r.cells.tweet_id!, r.cells]));
    const parentOf = (t: Record<string, string>) => tweets.get((t.in_response_to_tweet_id ?? '').replace(/\.0$/, ''));
    // A conversation is one customer's thread with a brand (examples/README.md): going up the
    // reply chain through brand tweets and the same customer's tweets, its first customer tweet.
    const rootOf = (t: Record<string, string>) => {
      let customerTweet = t.inbound === 'True' ? t : undefined;
      let node = t;
      for (let parent = parentOf(node); parent; parent = parentOf(node)) {
        if (parent.inbound === 'True') {
          if (customerTweet && customerTweet.author_id !== parent.author_id) break;
          customerTweet = parent;
        }
        node = parent;
      }
      return customerTweet;
    };
    const threads = new Map<string, Record<string, string>[]>();
    for (const t of tweets.values()) {
      const root = rootOf(t);
      if (!root) continue; // brand tweets with no customer above them
      threads.set(root.tweet_id!, [...(threads.get(root.tweet_id!) ?? []), t]);
    }
    const waits: number[] = [];
    for (const thread of threads.values()) {
      const created = Math.min(...thread.filter((t) => t.inbound === 'True').map((t) => Date.parse(t.created_at!)));
      const replies = thread.filter((t) => t.inbound !== 'True').map((t) => Date.parse(t.created_at!)).filter((at) => at >= created);
      if (replies.length > 0) waits.push((Math.min(...replies) - created) / 1000);
    }
    waits.sort((a, b) => a - b);
    // Type 1 median, then Sada's duration histogram precision (docs/metrics.md): exact below
    // 200 s, else a step of 1, 2 or 5 units of the third significant digit.
    const median = waits[Math.ceil(waits.length / 2) - 1]!;
    const decade = 10 ** Math.floor(Math.log10(median));
    const step = (decade / 100) * (median < 2 * decade ? 1 : median < 5 * decade ? 2 : 5);
    const kept = median < 200 ? Math.round(median) : Math.round(median / step) * step;
    const [frt] = (await reportOn('twcs-excerpt', { metric: 'frt' })).groups;
    assert.equal(frt?.n, waits.length);
    assert.equal(frt?.value, kept);
    near(frt?.mean as number, waits.reduce((a, b) => a + b, 0) / waits.length, 1e-9);
  });
});
