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

/**
 * Survey-tool presets end to end on the real samples (../shared/formats): every answer lands, a
 * re-import changes nothing, and the metric Sada computes is the one worked out by hand from the
 * sample.
 */

const reports = mkdtempSync(join(tmpdir(), 'sada-presets-surveys-'));
const counts = (s: ImportSummary) => [s.inserted, s.updated, s.unchanged, s.rejected, s.skipped];

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
});
