import type { RecordKindName } from '../domain/record-kinds.ts';
import { MappingError, type FileFormat } from './mapping.ts';
import { presetHint, presetImport, resolvePreset, type PresetImport, type PresetMatch } from './presets/index.ts';
import { guessFormat } from './readers/index.ts';
import { sampleFile } from './sniff.ts';

/**
 * Presets on files: the start of the file is sampled (src/import/sniff.ts) and matched against
 * the tools' shapes (src/import/presets/, pure). The CLI and the dashboard's Import page share
 * these two functions.
 */

function formatOf(file: string, format: FileFormat | undefined): FileFormat {
  const found = format ?? guessFormat(file);
  if (!found) throw new MappingError(`cannot tell the format of ${file} from its name: add --format csv|json|ndjson`);
  return found;
}

/** The importer's settings for `file` read with `--preset <spec>` into `kind`; throws PresetError when it does not fit. */
export async function prepareWithPreset(
  file: string,
  kind: RecordKindName,
  spec: string,
  format?: FileFormat,
): Promise<PresetImport & { match: PresetMatch }> {
  const sample = await sampleFile(file, formatOf(file, format));
  const match = resolvePreset(sample, spec, kind, file);
  return { ...presetImport(match), match };
}

/** "this looks like a Zendesk … export: add --preset zendesk", or undefined when no preset fits. */
export async function presetHintForFile(file: string, kind: RecordKindName, format?: FileFormat): Promise<string | undefined> {
  const found = format ?? guessFormat(file);
  if (!found) return undefined;
  return presetHint(await sampleFile(file, found), kind, file);
}
