import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RecordKindName } from '../src/domain/record-kinds.ts';
import { importFile, type ImportSummary } from '../src/import/importer.ts';
import { prepareWithPreset } from '../src/import/preset-files.ts';
import { metricReport } from '../src/reports/metric-report.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { formatPath, readFormatJson } from './support/formats.ts';
import { writeTemp } from './support/presets.ts';

/**
 * Survey-tool presets end to end on the real samples (../shared/formats): every answer lands, a
 * re-import changes nothing, and the metric Sada computes is the one worked out by hand from the
 * sample.
 */

const reports = mkdtempSync(join(tmpdir(), 'sada-presets-surveys-'));
const counts = (s: ImportSummary) => [s.inserted, s.updated, s.unchanged, s.rejected, s.skipped];

type Doc = Record<string, unknown>;

describeEachEngine('survey presets', (t) => {
  async function load(workspace: Workspace, kind: RecordKindName, path: string, spec: string) {
    const prepared = await prepareWithPreset(path, kind, spec);
    return importFile(t.db, { workspace, kind, path, reportDir: reports, batchSize: 2, ...prepared });
  }
  const metric = async (workspace: Workspace, name: string, by?: string[]) => (await metricReport(t.db, workspace, { metric: name, ...(by ? { by } : {}) })).groups;

  test('Delighted: every response and person lands, NPS is the one counted by hand, a re-import changes nothing', async () => {
    const ws = await t.workspace('delighted');
    const path = formatPath('delighted-survey-responses.json');
    assert.deepEqual(counts(await load(ws, 'responses', path, 'delighted')), [4, 0, 0, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'customers', path, 'delighted')), [1, 0, 0, 0, 0]);
    // By hand from the sample's scores: 9 is a promoter, 8 a passive, 3 and 0 detractors.
    const sample = readFormatJson<{ survey_responses: { score: number }[] }>('delighted-survey-responses.json').survey_responses;
    const promoters = sample.filter((r) => r.score >= 9).length;
    const detractors = sample.filter((r) => r.score <= 6).length;
    assert.deepEqual([promoters, detractors, sample.length], [1, 2, 4]);
    const [nps] = await metric(ws, 'nps');
    assert.deepEqual([nps?.n, nps?.value], [4, ((promoters - detractors) / sample.length) * 100]);
    assert.equal(nps?.value, -25);
    const byMonth = await metric(ws, 'nps', ['month']);
    assert.deepEqual(byMonth.map((g) => [g.key.month, g.n]), [['2022-01', 4]], 'anchored on created_at: 2022-01-04');
    assert.deepEqual(counts(await load(ws, 'responses', path, 'delighted')), [0, 0, 4, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'customers', path, 'delighted')), [0, 0, 1, 0, 0]);
  });
  test('Typeform: every answer lands as its own response, a re-import changes nothing; CSAT of the rating questions once their refs name them, as counted by hand', async () => {
    const ws = await t.workspace('typeform');
    const path = formatPath('typeform-responses.json');
    assert.deepEqual(counts(await load(ws, 'responses', path, 'typeform')), [16, 0, 0, 0, 0]);
    const kinds = await t.db.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM responses WHERE workspace_id = $1 GROUP BY kind ORDER BY kind', [ws.id]);
    assert.deepEqual(kinds.map((r) => [r.kind, r.n]), [['choice', 5], ['profile', 1], ['rating', 6], ['text', 4]]);
    assert.deepEqual(await metric(ws, 'csat'), [], 'ratings the refs do not name are not CSAT');
    assert.deepEqual(counts(await load(ws, 'responses', path, 'typeform')), [0, 0, 16, 0, 0]);

    // The same form with its five rating questions' refs naming them (as Typeform's Create API sets refs).
    const ws2 = await t.workspace('typeform-csat');
    const sample = readFormatJson<{ items: Doc[] }>('typeform-responses.json');
    const items = sample.items.map((item) => ({
      ...item,
      answers: (item.answers as Doc[]).map((a) => ((a.field as Doc).type === 'rating' ? { ...a, field: { ...(a.field as Doc), ref: `csat-${String((a.field as Doc).ref)}` } } : a)),
    }));
    const named = writeTemp({ ...sample, items });
    assert.deepEqual(counts(await load(ws2, 'responses', named, 'typeform')), [16, 0, 0, 0, 0]);
    // By hand: the ratings are 1, 1, 1, 1 and 5; on 1–5 only 4–5 are satisfied: 1 of 5 = 20%.
    const scores = sample.items.flatMap((item) => (item.answers as Doc[]).filter((a) => (a.field as Doc).type === 'rating').map((a) => a.number as number));
    assert.deepEqual(scores, [1, 1, 1, 1, 5]);
    const [csat] = await metric(ws2, 'csat');
    assert.deepEqual([csat?.n, csat?.value], [5, (scores.filter((x) => x >= 4).length / scores.length) * 100]);
    assert.equal(csat?.value, 20);
    assert.deepEqual(counts(await load(ws2, 'responses', named, 'typeform')), [0, 0, 16, 0, 0]);
  });
  test('Formbricks: every answer of the API sample and the CSV sample lands, a re-import changes nothing; NPS of a question named nps as counted by hand', async () => {
    const ws = await t.workspace('formbricks');
    const api = formatPath('formbricks-responses-api.json');
    const csv = formatPath('formbricks-responses-export.csv');
    assert.deepEqual(counts(await load(ws, 'responses', api, 'formbricks')), [9, 0, 0, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'responses', csv, 'formbricks')), [1, 0, 0, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'responses', api, 'formbricks')), [0, 0, 9, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'responses', csv, 'formbricks')), [0, 0, 1, 0, 0]);

    const ws2 = await t.workspace('formbricks-nps');
    const sample = readFormatJson<{ get_responses_example: { data: Doc[] } }>('formbricks-responses-api.json').get_responses_example.data;
    const scores = [10, 9, 9, 7, 3];
    const data = scores.map((score, i) => ({ ...sample[i % sample.length], id: `nps-${i}`, data: { nps: score, why: 'because' } }));
    const path = writeTemp({ data });
    assert.deepEqual(counts(await load(ws2, 'responses', path, 'formbricks')), [10, 0, 0, 0, 0]);
    // By hand: promoters 10, 9, 9; passive 7; detractor 3: (3 − 1) ÷ 5 × 100 = 40.
    const [nps] = await metric(ws2, 'nps');
    assert.deepEqual([nps?.n, nps?.value], [5, ((scores.filter((s) => s >= 9).length - scores.filter((s) => s <= 6).length) / scores.length) * 100]);
    assert.equal(nps?.value, 40);
    assert.deepEqual(counts(await load(ws2, 'responses', path, 'formbricks')), [0, 0, 10, 0, 0]);
  });
});
