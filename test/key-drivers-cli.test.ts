import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sada } from './support/cli.ts';

/** `sada drivers` as a user runs it: imported answers where delivery drives NPS. */
describe('sada drivers', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sada-drivers-cli-'));
  const env = { SADA_DATA_DIR: dataDir, SADA_DATABASE_URL: '' };
  const csv = join(dataDir, 'answers.csv');
  const lines = ['id,kind,score,submitted_at,touchpoint,customer_id'];
  for (let i = 0; i < 125; i++) {
    // Every pair of scores equally often: the two touchpoints are uncorrelated.
    const shipping = 1 + (i % 5);
    const checkout = 1 + (Math.floor(i / 5) % 5);
    lines.push(`S${i},csat,${shipping},2026-10-05T10:00:00Z,shipping,C${i}`);
    lines.push(`K${i},csat,${checkout},2026-10-02T10:00:00Z,checkout,C${i}`);
    lines.push(`N${i},nps,${2 * shipping},2026-10-20T10:00:00Z,,C${i}`);
  }
  writeFileSync(csv, `${lines.join('\n')}\n`);

  test('the table and the JSON name the planted driver; bad options say what to do', async () => {
    const imported = await sada(['import', 'responses', csv, '-w', 'kd'], env);
    assert.equal(imported.code, 0, imported.stderr);
    const table = await sada(['drivers', '-w', 'kd', '--from', '2026-10', '--to', '2026-10', '--resamples', '50'], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^Key drivers of NPS \(CSAT at each touchpoint, 90 days before\) in kd, 2026-10-01 – 2026-10-31/);
    assert.match(table.stdout, /R² 100% .*n 125 of 125 respondents/);
    // NPS is 2 × the shipping score: shipping explains all of it, checkout nothing.
    assert.match(table.stdout, /\n1\s+shipping\s+100%\s+9\d(\.\d)?%–100%\s+50\.0\s+43\.\d–56\.\d\s+125\s+maintain\n2\s+checkout\s+0%/);
    const json = await sada(['drivers', '-w', 'kd', '--format', 'json', '--resamples', '0', '--missing', 'listwise'], env);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.deepEqual(report.drivers.map((d: { name: string }) => d.name), ['shipping', 'checkout']);
    assert.equal(report.missing, 'listwise');
    assert.equal(report.r_squared_ci, null, 'no resamples, no intervals');
    const bad = await sada(['drivers', '-w', 'kd', '--window-days', 'soon'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--window-days must be a whole number/);
    const unknown = await sada(['drivers', '-w', 'kd', '--touchpoints', 'nowhere'], env);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /touchpoints with answers: checkout, shipping/);
  });
});
