import type { RecordKindName } from '../../domain/record-kinds.ts';
import type { FigureCheck } from '../../storage/figure-checks.ts';
import { mappingSchema, type FileFormat, type Mapping } from '../mapping.ts';
import type { RecordShaping } from '../shaping.ts';
import type { FileSample, JsonCandidate } from '../sniff.ts';
import type { Preset, PresetSource } from './types.ts';
import { delighted } from './delighted.ts';
import { chatwoot } from './chatwoot.ts';
import { formbricks } from './formbricks.ts';
import { freshdesk } from './freshdesk.ts';
import { helpscout } from './helpscout.ts';
import { intercom } from './intercom.ts';
import { shopify } from './shopify.ts';
import { stripe } from './stripe.ts';
import { typeform } from './typeform.ts';
import { woocommerce } from './woocommerce.ts';
import { zendesk } from './zendesk.ts';

export type { Preset, PresetSource } from './types.ts';

/** Every tool Sada reads without a mapping, in the order `sada presets` lists them. */
export const PRESETS: readonly Preset[] = [zendesk, freshdesk, chatwoot, intercom, helpscout, shopify, woocommerce, stripe, delighted, typeform, formbricks];

export class PresetError extends Error {}

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((preset) => preset.name === name.toLowerCase());
}

/** A source of a preset that fits a file, and where its records are. */
export interface PresetMatch {
  preset: Preset;
  source: PresetSource;
  /** JSON documents: the dotted path of the records ('' for the document). Undefined for CSV and NDJSON. */
  jsonPath?: string;
}

function pathFits(source: { path: string }, candidate: JsonCandidate): boolean {
  if (candidate.container === 'line' || source.path === '') return true;
  return candidate.path === source.path || candidate.path.endsWith(`.${source.path}`);
}

function jsonPathOf(candidate: JsonCandidate): string | undefined {
  return candidate.container === 'line' ? undefined : candidate.path;
}

/** The sources of `presets` whose shape the sample has, in the order the file holds them. */
export function detectSources(sample: FileSample, presets: readonly Preset[] = PRESETS): PresetMatch[] {
  const matches: PresetMatch[] = [];
  if (sample.format === 'csv' || sample.format === 'tsv') {
    for (const preset of presets) {
      for (const source of preset.sources) {
        if (source.format === 'csv' && sample.header.length > 0 && source.detect(sample.header)) matches.push({ preset, source });
      }
    }
  } else if (sample.format === 'json' || sample.format === 'ndjson') {
    for (const candidate of sample.candidates) {
      for (const preset of presets) {
        for (const source of preset.sources) {
          if (source.format === 'json' && pathFits(source, candidate) && source.detect(candidate.record)) {
            matches.push({ preset, source, jsonPath: jsonPathOf(candidate) });
          }
        }
      }
    }
  }
  return matches;
}

function describeSource(preset: Preset, source: PresetSource): string {
  return `${preset.title} ${source.name} (${source.kind})`;
}

/**
 * The source to read `file` with for `--preset <spec>` (`zendesk`, or `zendesk:ticket-metrics`
 * to skip detection) into `kind`: the first of the tool's sources for that kind whose shape the
 * file has. Errors name what the tool reads and, when the file fits another kind, the command.
 */
export function resolvePreset(sample: FileSample, spec: string, kind: RecordKindName, file: string): PresetMatch {
  const [name = '', sourceName] = spec.split(':');
  const preset = findPreset(name);
  if (!preset) throw new PresetError(`there is no preset "${name}". Presets: ${PRESETS.map((p) => p.name).join(', ')} (sada presets lists what each reads)`);
  const forKind = preset.sources.filter((s) => s.kind === kind);
  const reads = preset.sources.map((s) => `${s.kind} from ${s.name}: ${s.title}`).join('; ');
  if (sourceName !== undefined) {
    const source = preset.sources.find((s) => s.name === sourceName);
    if (!source) throw new PresetError(`the ${preset.name} preset has no source "${sourceName}". It reads ${reads}`);
    if (source.kind !== kind) throw new PresetError(`${preset.name}:${source.name} imports ${source.kind}, not ${kind}: sada import ${source.kind} ${file} --preset ${spec}`);
    const candidate = source.format === 'json' && 'candidates' in sample ? sample.candidates.find((c) => pathFits(source, c)) : undefined;
    return { preset, source, jsonPath: candidate ? jsonPathOf(candidate) : source.format === 'json' && sample.format === 'json' ? source.path : undefined };
  }
  if (forKind.length === 0) throw new PresetError(`the ${preset.name} preset does not import ${kind}. It reads ${reads}`);
  const fits = detectSources(sample, [preset]);
  const match = fits.find((m) => m.source.kind === kind);
  if (match) return match;
  const other = fits[0];
  if (other) {
    throw new PresetError(
      `${file} looks like ${describeSource(other.preset, other.source)}, not ${kind}: sada import ${other.source.kind} ${file} --preset ${preset.name}`,
    );
  }
  throw new PresetError(
    `${file} does not look like a ${preset.title} export of ${kind}. The ${preset.name} preset reads ${reads}. ` +
      `If it is one of these, name it: --preset ${preset.name}:${forKind[0]!.name}`,
  );
}

/** A line for a user who imports without a preset a file that one fits. */
export function presetHint(sample: FileSample, kind: RecordKindName, file: string): string | undefined {
  const matches = detectSources(sample);
  const match = matches.find((m) => m.source.kind === kind) ?? matches[0];
  if (!match) return undefined;
  const what = `a ${match.preset.title} export (${match.source.title})`;
  return match.source.kind === kind
    ? `this looks like ${what}: add --preset ${match.preset.name}`
    : `this looks like ${what}, which the ${match.preset.name} preset imports as ${match.source.kind}: sada import ${match.source.kind} ${file} --preset ${match.preset.name}`;
}

/** What the importer needs to read a file with a preset's source. */
export interface PresetImport {
  mapping: Mapping;
  format: FileFormat | undefined;
  records: RecordShaping;
  checks: readonly FigureCheck[] | undefined;
  preset: string;
}

export function presetImport(match: PresetMatch): PresetImport {
  const { preset, source } = match;
  return {
    mapping: mappingSchema.parse({ ...source.mapping, kind: source.kind }),
    format: source.format === 'csv' ? 'csv' : undefined,
    records: {
      label: `the ${preset.name} preset (${source.name})`,
      ...(match.jsonPath !== undefined ? { jsonPath: match.jsonPath } : {}),
      ...(source.shape ? { shape: source.shape } : {}),
      ...(source.group ? { group: source.group } : {}),
      known: [...(source.reads ?? []), ...Object.keys(source.ignore ?? {})],
      ...(source.unknownPrefix ? { unknownPrefix: source.unknownPrefix } : {}),
      ...(source.unknownScope ? { unknownScope: source.unknownScope } : {}),
    },
    checks: source.checks,
    preset: `${preset.name}:${source.name}`,
  };
}
