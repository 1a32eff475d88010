import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mappingSchema, MappingError, parseMapFlags, checkMappingFields } from './mapping.ts';
import { createRowMapper } from './row-mapper.ts';

const options = { zone: 'UTC', dateFormat: 'auto' };
const row = (cells: Record<string, unknown>, line = 2) => ({ kind: 'row' as const, line, cells });

describe('row mapper', () => {
  test('takes same-named columns, converts types and fills the scale from the kind', () => {
    const mapper = createRowMapper('responses', mappingSchema.parse({}), ['id', 'kind', 'score', 'submitted_at', 'channel'], options);
    const mapped = mapper.map(row({ id: 'r1', kind: 'NPS', score: '9', submitted_at: '2024-01-02', channel: 'E-mail' }));
    assert.ok(mapped.ok);
    assert.deepEqual(mapped.record, {
      id: 'r1',
      kind: 'nps',
      score: 9,
      submitted_at: new Date('2024-01-02T00:00:00Z'),
      channel: 'email',
      scale_min: 0,
      scale_max: 10,
      attributes: {},
    });
    assert.deepEqual(mapper.columns, ['id', 'kind', 'score', 'submitted_at', 'channel', 'scale_min', 'scale_max', 'attributes']);
  });

  test('maps columns, constants, translated values and attributes', () => {
    const mapping = mappingSchema.parse({
      fields: {
        id: 'call_id',
        created_at: { column: 'day', format: 'yyyymmdd' },
        channel: { value: 'phone' },
        status: { column: 'outcome', values: { AGENT: 'solved', HANG: 'abandoned' } },
        'attributes.queue': 'vru',
      },
    });
    const mapper = createRowMapper('tickets', mapping, ['call_id', 'day', 'outcome', 'vru'], options);
    const mapped = mapper.map(row({ call_id: '7', day: '19990201', outcome: 'hang', vru: 'AA0101' }));
    assert.ok(mapped.ok);
    assert.equal(mapped.record.status, 'abandoned');
    assert.equal(mapped.record.channel, 'phone');
    assert.deepEqual(mapped.record.attributes, { queue: 'AA0101' });
    assert.equal((mapped.record.created_at as Date).toISOString(), '1999-02-01T00:00:00.000Z');
  });

  test('reports every bad cell with its line, column and reason', () => {
    const mapper = createRowMapper('responses', mappingSchema.parse({ fields: { score: 'rating' } }), ['kind', 'rating', 'submitted_at'], options);
    const mapped = mapper.map(row({ kind: 'survey', rating: 'ten', submitted_at: '' }, 17));
    assert.equal(mapped.ok, false);
    assert.deepEqual(
      !mapped.ok && mapped.problems.map((p) => [p.line, p.column, p.field, p.reason.slice(0, 30)]),
      [
        [17, 'kind (column 1)', 'kind', '"survey" is not one of nps, cs'],
        [17, 'rating (column 2)', 'score', '"ten" is not a number'],
        [17, 'submitted_at (column 3)', 'submitted_at', 'submitted_at is required but e'],
      ],
    );
  });

  test('cross-field rules: a score outside its scale, a reply before the ticket', () => {
    const responses = createRowMapper('responses', mappingSchema.parse({}), ['kind', 'score', 'scale_max', 'submitted_at'], options);
    const bad = responses.map(row({ kind: 'csat', score: '7', scale_max: '5', submitted_at: '2024-01-01' }));
    assert.equal(!bad.ok && bad.problems[0]?.reason, 'score 7 is outside the scale 1–5');
    const tickets = createRowMapper('tickets', mappingSchema.parse({}), ['id', 'created_at', 'first_response_at'], options);
    const early = tickets.map(row({ id: 't', created_at: '2024-01-02', first_response_at: '2024-01-01' }));
    assert.match(!early.ok ? early.problems[0]!.reason : '', /first_response_at .* is before created_at/);
  });

  test('gives rows without an id a stable content id that keeps identical rows apart', () => {
    const make = () => createRowMapper('orders', mappingSchema.parse({}), ['customer_id', 'placed_at', 'amount'], options);
    const cells = { customer_id: '00002', placed_at: '19970112', amount: '12.00' };
    const first = make();
    const ids = [first.map(row(cells)), first.map(row(cells)), first.map(row({ ...cells, amount: '77' }))].map((m) => m.ok && m.record.id);
    assert.equal(new Set(ids).size, 3, 'identical purchases stay distinct');
    const again = make();
    assert.deepEqual([again.map(row(cells)), again.map(row(cells))].map((m) => m.ok && m.record.id), ids.slice(0, 2), 'a re-run finds the same ids');
  });

  test('refuses a mapping it cannot honour before reading any row', () => {
    assert.throws(() => createRowMapper('responses', mappingSchema.parse({}), ['score'], options), /need "kind"/);
    assert.throws(
      () => createRowMapper('responses', mappingSchema.parse({ fields: { kind: 'type' } }), ['kind'], options),
      /column "type", which the file does not have/,
    );
    assert.throws(() => checkMappingFields('orders', mappingSchema.parse({ fields: { total: 'x' } })), MappingError);
    assert.throws(() => parseMapFlags(['score']), /field=column/);
    assert.deepEqual(parseMapFlags(['score=rating', 'kind==csat']), { score: 'rating', kind: { value: 'csat' } });
  });

  test('builds text from columns with a template, and lets a mapping require a field the kind does not', () => {
    const mapping = mappingSchema.parse({
      fields: { id: { template: 'dete-{ID}-supervision', required: true }, kind: { value: 'esat' }, score: 'Performance', submitted_at: 'Cease' },
    });
    const mapper = createRowMapper('responses', mapping, ['ID', 'Performance', 'Cease'], options);
    const mapped = mapper.map(row({ ID: ' 7 ', Performance: '4', Cease: '2012-08-01' }));
    assert.equal(mapped.ok && mapped.record.id, 'dete-7-supervision');
    const empty = mapper.map(row({ ID: '', Performance: '4', Cease: '2012-08-01' }, 9));
    assert.deepEqual(!empty.ok && empty.problems.map((p) => [p.line, p.column, p.reason]), [
      [9, 'template "dete-{ID}-supervision"', 'id is required but empty'],
    ]);
    assert.throws(() => createRowMapper('responses', mapping, ['Performance', 'Cease'], options), /column "ID", which the file does not have/);
    assert.throws(() => mappingSchema.parse({ fields: { id: { template: 'no braces' } } }));
    assert.throws(() => mappingSchema.parse({ fields: { id: { template: '{a}', column: 'a' } } }), /give one of/);
  });

  test('reads nested JSON paths', () => {
    const mapper = createRowMapper('tickets', mappingSchema.parse({ fields: { created_at: 'meta.created', agent_id: 'assignee.id' } }), undefined, options);
    const mapped = mapper.map(row({ id: 5, meta: { created: '2024-05-01T10:00:00Z' }, assignee: { id: 42 } }));
    assert.ok(mapped.ok);
    assert.equal(mapped.record.id, '5');
    assert.equal(mapped.record.agent_id, '42');
  });
  test('for presets: no same-named columns taken implicitly, missing columns left empty, fill-only fields listed', () => {
    const mapping = mappingSchema.parse({
      fields: { id: 'Ticket ID', created_at: { column: 'Created time', onlyIfEmpty: true }, agent_id: 'Agent' },
    });
    const mapper = createRowMapper('tickets', mapping, ['Ticket ID', 'Created time', 'status'], { ...options, implicitColumns: false, optionalColumns: true });
    const mapped = mapper.map(row({ 'Ticket ID': '9', 'Created time': '2024-01-02 10:00:00', status: 'weird' }));
    assert.ok(mapped.ok, JSON.stringify(mapped));
    assert.deepEqual(mapped.record, { id: '9', created_at: new Date('2024-01-02T10:00:00Z'), agent_id: null, attributes: {} });
    assert.deepEqual(mapper.fillOnly, ['created_at']);
    assert.deepEqual(mapper.sourceColumns.sort(), ['Agent', 'Created time', 'Ticket ID']);
    assert.throws(() => createRowMapper('tickets', mapping, ['Ticket ID', 'Created time'], options), /column "Agent", which the file does not have/);
  });
});
