import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sada } from './support/cli.ts';
import { formatPath } from './support/formats.ts';

/** `--preset`, the hint without it, and `sada presets`, through the real command. */
describe('sada import --preset', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sada-cli-presets-'));
  const env = { SADA_DATA_DIR: dataDir, SADA_DATABASE_URL: '' };
  const tickets = formatPath('zendesk-tickets-incremental.json');

  test('sada presets lists every tool with what it reads; with a tool, its mappings', async () => {
    const list = await sada(['presets'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^zendesk {2}Zendesk \(docs\/presets\.md#zendesk\)$/m);
    assert.match(list.stdout, /^ {2}tickets +zendesk:ticket-metrics +Ticket metrics/m);
    const one = await sada(['presets', 'zendesk'], env);
    assert.match(one.stdout, /^ {6}channel +← via\.channel {2}\(web→web, web_form→web, email→email, mail→email, voice→phone/m);
    assert.match(one.stdout, /^ {6}created_at +← created_at {2}\(only if empty\)$/m);
    assert.match(one.stdout, /description: the text of the first comment/);
    const none = await sada(['presets', 'zendsk'], env);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /there is no preset "zendsk"\. Presets: zendesk/);
  });

  test('without --preset, a file a preset fits gets a hint; with it, every record lands and a re-run changes nothing', async () => {
    const plain = await sada(['import', 'tickets', tickets, '-w', 'cli-zd'], env);
    assert.match(plain.stderr, /^sada: this looks like a Zendesk export \(Incremental Ticket Export, .*\): add --preset zendesk$/m);
    const first = await sada(['import', 'tickets', tickets, '-w', 'cli-zd', '--preset', 'zendesk'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /read with the zendesk:tickets preset\n {2}rows read 3 · inserted 3 · updated 0 · unchanged 0 · rejected 0/);
    const again = await sada(['import', 'tickets', tickets, '-w', 'cli-zd', '--preset', 'zendesk', '--json'], env);
    const summary = JSON.parse(again.stdout) as { unchanged: number; preset: string };
    assert.deepEqual([summary.unchanged, summary.preset], [3, 'zendesk:tickets']);
    const ratings = await sada(['import', 'responses', formatPath('zendesk-satisfaction-ratings.json'), '-w', 'cli-zd', '--preset', 'zendesk'], env);
    assert.match(ratings.stdout, /rejected 0 · not imported 3 /);
    assert.match(ratings.stdout, /warning: 3 record\(s\) not imported: satisfaction ratings with score "offered"/);
  });

  test('a preset refuses a mapping, and a file of another kind is pointed at the right command', async () => {
    const both = await sada(['import', 'tickets', tickets, '--preset', 'zendesk', '--map', 'id=x'], env);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /--preset brings its own mapping/);
    const kind = await sada(['import', 'responses', tickets, '--preset', 'zendesk'], env);
    assert.equal(kind.code, 1);
    assert.match(kind.stderr, /looks like Zendesk tickets \(tickets\), not responses: sada import tickets .* --preset zendesk/);
  });
});
