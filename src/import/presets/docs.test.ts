import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PRESETS } from './index.ts';

/**
 * Every preset documents its mapping in docs/presets.md: a section per tool (the anchor its
 * `docs` names), a section per source, and in it every Sada field the source fills, every
 * attribute it keeps and every field it leaves out.
 */
const DOCUMENTED = ['zendesk', 'freshdesk', 'chatwoot', 'intercom', 'helpscout', 'shopify', 'woocommerce', 'stripe', 'delighted', 'typeform', 'formbricks'];
/** Attributes documented by a pattern rather than one by one. */
const PATTERNS = [/^zendesk_[a-z_]+_(calendar|business)_minutes$/];

const docs = readFileSync(new URL('../../../docs/presets.md', import.meta.url), 'utf8');
const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

function section(heading: RegExp): string | undefined {
  const lines = docs.split('\n');
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && /^#{2,3} /.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join(' ').replace(/\s+/g, ' ');
}

test('docs/presets.md documents every source of every preset, field by field', () => {
  const anchors = new Set([...docs.matchAll(/^## (.+)$/gm)].map((m) => anchor(m[1]!)));
  for (const preset of PRESETS.filter((p) => DOCUMENTED.includes(p.name))) {
    assert.ok(anchors.has(preset.docs.split('#')[1]!), `${preset.docs}: no such section`);
    for (const source of preset.sources) {
      const name = `${preset.name}:${source.name}`;
      const text = section(new RegExp(`^### ${name} → ${source.kind}$`));
      assert.ok(text, `no section "### ${name} → ${source.kind}"`);
      for (const field of Object.keys(source.mapping.fields ?? {})) {
        if (field.startsWith('attributes.')) {
          const attribute = field.slice('attributes.'.length);
          if (PATTERNS.some((p) => p.test(attribute))) continue;
          assert.ok(text.includes(`\`${attribute}\``), `${name}: attribute ${attribute} is not documented`);
        } else {
          assert.ok(text.includes(`\`${field}\``), `${name}: field ${field} is not in the table`);
        }
      }
      for (const left of Object.keys(source.ignore ?? {})) {
        const last = left.split('.').at(-1)!;
        assert.ok(text.includes(last), `${name}: "${left}" is left out without a word`);
      }
      for (const check of source.checks ?? []) {
        if (PATTERNS.some((p) => p.test(check.attribute))) continue;
        assert.ok(text.includes(check.attribute), `${name}: the comparison of ${check.attribute} is not documented`);
      }
    }
  }
});
