import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { RECORD_KIND_NAMES, RECORD_KINDS, isRecordKindName } from '../../domain/record-kinds.ts';
import { NAMED_DATE_FORMATS, isValidZone } from '../../domain/values.ts';
import { DEFAULT_BATCH_SIZE, importFile, type ImportSummary } from '../../import/importer.ts';
import { FILE_FORMATS, mappingSchema, parseMapFlags, parseMappingJson, type FileFormat, type Mapping } from '../../import/mapping.ts';
import { prepareWithPreset, presetHintForFile } from '../../import/preset-files.ts';
import { PRESETS } from '../../import/presets/index.ts';
import { defaultReportDir, numbers, stopAfterBatchOnInterrupt, UserError, withDatabase, workspaceFor } from '../context.ts';

interface ImportOptions {
  workspace?: string;
  mapping?: string;
  map: string[];
  preset?: string;
  format?: FileFormat;
  timezone?: string;
  dateFormat?: string;
  delimiter?: string;
  allowRaggedRows?: boolean;
  keepUnmapped?: boolean;
  reportDir?: string;
  batchSize?: string;
  json?: boolean;
}

function loadMapping(options: ImportOptions): Mapping {
  const base = options.mapping ? parseMappingJson(readFileSync(options.mapping, 'utf8'), options.mapping) : mappingSchema.parse({});
  return {
    ...base,
    fields: { ...base.fields, ...parseMapFlags(options.map) },
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    ...(options.dateFormat ? { dateFormat: options.dateFormat } : {}),
    ...(options.allowRaggedRows ? { raggedRows: 'allow' as const } : {}),
    ...(options.keepUnmapped ? { keepUnmappedAsAttributes: true } : {}),
  };
}

export function formatSummary(summary: ImportSummary): string {
  const n = (value: number) => numbers.format(value);
  const lines = [
    `${summary.kind} from ${summary.source} into workspace ${summary.workspace}: ${summary.status === 'done' ? 'done' : 'INTERRUPTED — run the same command again to finish; nothing will be duplicated'}`,
    `  rows read ${n(summary.rows)} · inserted ${n(summary.inserted)} · updated ${n(summary.updated)} · unchanged ${n(summary.unchanged)} · rejected ${n(summary.rejected)}` +
      (summary.skipped > 0 ? ` · not imported ${n(summary.skipped)}` : '') +
      `  (${summary.seconds.toFixed(1)} s)`,
  ];
  if (summary.preset) lines.splice(1, 0, `  read with the ${summary.preset} preset`);
  for (const warning of summary.warnings) lines.push(`  warning: ${warning}`);
  if (summary.firstRejects.length > 0) {
    lines.push(`  rejected rows (${summary.unit}, column: reason):`);
    for (const r of summary.firstRejects) {
      const where = r.column ? `, ${r.column}` : '';
      lines.push(`    ${summary.unit} ${r.line}${where}: ${r.reason}`);
    }
    if (summary.rejected > summary.firstRejects.length) lines.push(`    … and more`);
  }
  if (summary.rejectsFile) lines.push(`  all rejects: ${summary.rejectsFile}`);
  lines.push(`  summary: ${summary.summaryFile}`);
  return lines.join('\n');
}

const KIND_HELP = RECORD_KIND_NAMES.map((k) => `  ${k.padEnd(14)} ${RECORD_KINDS[k].doc}`).join('\n');

export const importCommand = new Command('import')
  .description('Import a file of one kind of record. Bad rows are reported with line, column and reason; good rows are imported; running it again changes nothing.')
  .argument('<kind>', `what the file holds: ${RECORD_KIND_NAMES.join(', ')}`)
  .argument('<file>', 'the file to read')
  .option('-w, --workspace <name>', 'workspace to import into (created if new; default: SADA_WORKSPACE or "default")')
  .option('--mapping <file>', 'JSON mapping of fields to columns (see examples/ and docs/importing.md)')
  .option('--map <field=column>', 'take a field from a column, e.g. --map score=rating (repeatable; field==text sets a constant)', (v: string, all: string[]) => [...all, v], [] as string[])
  .option('--preset <tool>', `read a tool's own export without a mapping: ${PRESETS.map((p) => p.name).join(', ')} (sada presets lists what each reads; tool:source skips detection)`)
  .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(FILE_FORMATS))
  .option('--timezone <zone>', 'IANA zone for times written without an offset (default: the workspace zone, UTC)')
  .option('--date-format <format>', `date format: ${NAMED_DATE_FORMATS.join(', ')} or a Luxon pattern`)
  .option('--delimiter <char>', 'field separator for csv/tsv')
  .option('--allow-ragged-rows', 'accept rows with more or fewer fields than the header, matched by position')
  .option('--keep-unmapped', 'keep every column no field takes as an attribute')
  .option('--report-dir <dir>', 'where to write the summary and rejects files (default: <data dir>/imports)')
  .option('--batch-size <rows>', 'rows per transaction', String(DEFAULT_BATCH_SIZE))
  .option('--json', 'print the summary as JSON')
  .addHelpText('after', `\nKinds:\n${KIND_HELP}\n\nRun "sada fields <kind>" to list the fields of a kind.`)
  .action(async (kind: string, file: string, options: ImportOptions) => {
    if (!isRecordKindName(kind)) throw new UserError(`"${kind}" is not a kind of record. Kinds: ${RECORD_KIND_NAMES.join(', ')}`);
    if (options.timezone && !isValidZone(options.timezone)) {
      throw new UserError(`--timezone "${options.timezone}" is not an IANA time zone such as UTC, Europe/Vilnius or Asia/Riyadh`);
    }
    const batchSize = Number(options.batchSize);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new UserError('--batch-size must be a whole number of rows, at least 1');
    if (options.preset && (options.mapping || options.map.length > 0 || options.keepUnmapped)) {
      throw new UserError('--preset brings its own mapping: leave out --mapping, --map and --keep-unmapped (or leave out --preset)');
    }
    let mapping = loadMapping(options);
    let presetParts: Awaited<ReturnType<typeof prepareWithPreset>> | undefined;
    if (options.preset) {
      presetParts = await prepareWithPreset(file, kind, options.preset, options.format);
      mapping = {
        ...presetParts.mapping,
        ...(options.dateFormat ? { dateFormat: options.dateFormat } : {}),
        ...(options.delimiter ? { delimiter: options.delimiter } : {}),
        ...(options.allowRaggedRows ? { raggedRows: 'allow' as const } : {}),
      };
    } else if (!options.mapping) {
      const hint = await presetHintForFile(file, kind, options.format).catch(() => undefined);
      if (hint) process.stderr.write(`sada: ${hint}\n`);
    }
    await withDatabase('import', async (context) => {
      const workspace = await workspaceFor(context, options.workspace);
      const interrupt = stopAfterBatchOnInterrupt();
      const bar = process.stderr.isTTY && !options.json
        ? new cliProgress.SingleBar({ format: 'importing {bar} {percentage}% | {rows} rows', stream: process.stderr }, cliProgress.Presets.shades_classic)
        : undefined;
      bar?.start(100, 0, { rows: 0 });
      // Without a terminal (logs, CI), a line at most every second instead of a bar.
      let lastLine = 0;
      const progressLine = (percent: number, rows: number) => {
        if (Date.now() - lastLine < 1000) return;
        lastLine = Date.now();
        process.stderr.write(`importing: ${percent}% read, ${numbers.format(rows)} rows\n`);
      };
      try {
        const summary = await importFile(context.opened.db, {
          workspace,
          kind,
          path: file,
          mapping,
          format: options.format ?? presetParts?.format,
          ...(presetParts ? { records: presetParts.records, checks: presetParts.checks, preset: presetParts.preset } : {}),
          timezone: options.timezone,
          reportDir: options.reportDir ?? defaultReportDir(context.config),
          batchSize,
          signal: interrupt.signal,
          onProgress: ({ bytesRead, totalBytes, rows }) => {
            const percent = totalBytes > 0 ? Math.min(100, Math.round((bytesRead / totalBytes) * 100)) : 100;
            if (bar) bar.update(percent, { rows: numbers.format(rows) });
            else progressLine(percent, rows);
          },
        });
        bar?.stop();
        console.log(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
        if (summary.status === 'interrupted') process.exitCode = 130;
      } finally {
        bar?.stop();
        interrupt.release();
      }
    });
  });

export const fieldsCommand = new Command('fields')
  .description('List the fields of a kind of record (what --map and mapping files can fill)')
  .argument('[kind]', `one of ${RECORD_KIND_NAMES.join(', ')}`)
  .action((kind: string | undefined) => {
    const kinds = kind ? [kind] : RECORD_KIND_NAMES;
    for (const name of kinds) {
      if (!isRecordKindName(name)) throw new UserError(`"${name}" is not a kind of record. Kinds: ${RECORD_KIND_NAMES.join(', ')}`);
      console.log(`${name}: ${RECORD_KINDS[name].doc}`);
      for (const field of RECORD_KINDS[name].fields) {
        const flags = [field.type, 'required' in field && field.required ? 'required' : ''].filter(Boolean).join(', ');
        console.log(`  ${field.name.padEnd(24)} ${field.doc} [${flags}]`);
      }
      console.log('');
    }
  });

export const presetsCommand = new Command('presets')
  .description("List the tools whose exports Sada imports without a mapping (sada import <kind> <file> --preset <tool>), what each reads and where its mapping is documented")
  .argument('[tool]', 'show one tool\'s sources with their field mappings')
  .action((tool: string | undefined) => {
    const presets = tool ? PRESETS.filter((p) => p.name === tool.toLowerCase()) : PRESETS;
    if (presets.length === 0) throw new UserError(`there is no preset "${tool}". Presets: ${PRESETS.map((p) => p.name).join(', ')}`);
    for (const preset of presets) {
      console.log(`${preset.name}  ${preset.title} (${preset.docs})`);
      for (const source of preset.sources) {
        const where = source.format === 'json' ? `JSON${source.path ? `, records at "${source.path}"` : ''}` : 'CSV';
        console.log(`  ${source.kind.padEnd(13)} ${`${preset.name}:${source.name}`.padEnd(34)} ${source.title} [${where}]`);
        if (!tool) continue;
        for (const [field, from] of Object.entries(source.mapping.fields ?? {})) {
          const text = typeof from === 'string' ? from : from.column !== undefined ? from.column : from.value !== undefined ? `= ${JSON.stringify(from.value)}` : (from.template ?? '');
          const notes = typeof from === 'string' ? '' : [from.values ? Object.entries(from.values).map(([a, b]) => `${a}→${String(b)}`).join(", ") : '', from.onlyIfEmpty ? 'only if empty' : '', from.format ? `format ${from.format}` : ''].filter(Boolean).join('; ');
          console.log(`      ${field.padEnd(44)} ← ${text}${notes ? `  (${notes})` : ''}`);
        }
        for (const [field, why] of Object.entries(source.ignore ?? {})) console.log(`      ${'(left out)'.padEnd(44)}   ${field}: ${why}`);
        if (source.checks?.length) console.log(`      compared after the import: ${source.checks.map((c) => c.label).join('; ')}`);
      }
      console.log('');
    }
  });
