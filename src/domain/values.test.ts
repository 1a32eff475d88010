import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseBoolean, parseInteger, parseNumber, parseTimestamp } from './values.ts';

const utc = { format: 'auto', zone: 'UTC' };
const iso = (raw: string, options = utc) => {
  const parsed = parseTimestamp(raw, options);
  assert.ok(parsed.ok, `expected ${raw} to parse: ${!parsed.ok ? parsed.reason : ''}`);
  return parsed.value.toISOString();
};

describe('parseTimestamp', () => {
  test('reads the ISO 8601 variants found in real exports', () => {
    assert.equal(iso('2017-10-31T22:10:47Z'), '2017-10-31T22:10:47.000Z');
    assert.equal(iso('2013-08-20 10:42:52.612 UTC'), '2013-08-20T10:42:52.612Z');
    assert.equal(iso('2015-11-28 10:11:58'), '2015-11-28T10:11:58.000Z');
    assert.equal(iso('2024-03-01T12:00:00+03:00'), '2024-03-01T09:00:00.000Z');
    assert.equal(iso('2024-03-01T12:00:00-0530'), '2024-03-01T17:30:00.000Z');
    assert.equal(iso('2024-03-01'), '2024-03-01T00:00:00.000Z');
  });

  test('applies the time zone only to times written without an offset', () => {
    const riyadh = { format: 'auto', zone: 'Asia/Riyadh' };
    assert.equal(iso('2024-03-01 12:00', riyadh), '2024-03-01T09:00:00.000Z');
    assert.equal(iso('2024-03-01T12:00:00Z', riyadh), '2024-03-01T12:00:00.000Z');
    // Vilnius changes to summer time on the last Sunday of March.
    assert.equal(iso('2024-03-31 12:00', { format: 'auto', zone: 'Europe/Vilnius' }), '2024-03-31T09:00:00.000Z');
    assert.equal(iso('2024-03-30 12:00', { format: 'auto', zone: 'Europe/Vilnius' }), '2024-03-30T10:00:00.000Z');
  });

  test('reads compact, month-only and epoch dates', () => {
    assert.equal(iso('19970101'), '1997-01-01T00:00:00.000Z');
    assert.equal(iso('03/2024'), '2024-03-01T00:00:00.000Z');
    assert.equal(iso('1700000000'), '2023-11-14T22:13:20.000Z');
    assert.equal(iso('1700000000123'), '2023-11-14T22:13:20.123Z');
    assert.equal(iso('1700000000', { format: 'epoch-s', zone: 'UTC' }), '2023-11-14T22:13:20.000Z');
  });

  test('never guesses day/month order, and reads it when told', () => {
    const parsed = parseTimestamp('03/04/2020', utc);
    assert.equal(parsed.ok, false);
    assert.match(!parsed.ok ? parsed.reason : '', /dd\/mm\/yyyy or mm\/dd\/yyyy/);
    assert.equal(iso('03/04/2020', { format: 'dd/mm/yyyy', zone: 'UTC' }), '2020-04-03T00:00:00.000Z');
    assert.equal(iso('12/6/2015', { format: 'mm/dd/yyyy', zone: 'UTC' }), '2015-12-06T00:00:00.000Z');
  });

  test('reads a custom Luxon format (Twitter dates)', () => {
    assert.equal(iso('Tue Oct 31 22:10:47 +0000 2017', { format: 'EEE MMM dd HH:mm:ss ZZZ yyyy', zone: 'UTC' }), '2017-10-31T22:10:47.000Z');
  });

  test('rejects impossible dates with a reason', () => {
    for (const raw of ['2023-02-30', '20231340', 'yesterday', '']) {
      const parsed = parseTimestamp(raw, utc);
      assert.equal(parsed.ok, false, raw);
    }
    const wrongFormat = parseTimestamp('2024-01-01', { format: 'yyyymmdd', zone: 'UTC' });
    assert.match(!wrongFormat.ok ? wrongFormat.reason : '', /format YYYYMMDD/);
  });

  test('property: any instant written as ISO 8601 reads back as itself', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }), (date) => {
        assert.equal(iso(date.toISOString()), date.toISOString());
      }),
    );
  });
});

describe('numbers and booleans', () => {
  test('accept plain decimals only', () => {
    assert.deepEqual(parseNumber(' 12.5 '), { ok: true, value: 12.5 });
    assert.deepEqual(parseNumber('-3e2'), { ok: true, value: -300 });
    for (const raw of ['', '0x10', '1,5', 'NaN', 'Infinity', '12abc', '1e999']) assert.equal(parseNumber(raw).ok, false, raw);
    assert.equal(parseInteger('4.5').ok, false);
    assert.deepEqual(parseInteger('42'), { ok: true, value: 42 });
  });

  test('yes/no words', () => {
    for (const raw of ['True', 'yes', '1', 'Y']) assert.deepEqual(parseBoolean(raw), { ok: true, value: true });
    for (const raw of ['False', 'no', '0', 'n']) assert.deepEqual(parseBoolean(raw), { ok: true, value: false });
    assert.equal(parseBoolean('maybe').ok, false);
  });
});
