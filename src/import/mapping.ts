import { z } from 'zod';
import { RECORD_KIND_NAMES, recordKind, type RecordKindName } from '../domain/record-kinds.ts';
import { isValidZone } from '../domain/values.ts';

/**
 * How the columns of a file become the fields of a record kind. Written as a JSON file
 * (`--mapping FILE`, see examples/) or as repeated `--map field=column` flags; documented in
 * docs/importing.md.
 */

export const FILE_FORMATS = ['csv', 'tsv', 'whitespace', 'json', 'ndjson'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

const fieldSource = z.union([
  z.string().min(1),
  z
    .object({
      /** Column name (tabular files) or dotted path (JSON). */
      column: z.string().min(1).optional(),
      /** A constant for every row. */
      value: z.union([z.string(), z.number(), z.boolean()]).optional(),
      /** Text built from columns, e.g. "dete-{ID}" (an id that must differ from another file's); empty if a column is. */
      template: z.string().regex(/\{[^{}]+\}/, 'name at least one column in braces, e.g. "dete-{ID}"').optional(),
      /** Date format for this field; overrides the file's. */
      format: z.string().min(1).optional(),
      /** Translation of source values, e.g. {"HANG": "abandoned"}; unlisted values pass through. */
      values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
      /** An empty cell rejects the row even if the kind does not require the field (e.g. an id this file always has). */
      required: z.boolean().optional(),
      /**
       * Fill the field only on records that do not have a value yet: another file's value is never
       * overwritten (e.g. a creation time a metrics file repeats, a second or so off).
       */
      onlyIfEmpty: z.boolean().optional(),
    })
    .strict()
    .refine((s) => [s.column, s.value, s.template].filter((x) => x !== undefined).length === 1, {
      message: 'give one of "column", "value" or "template"',
    }),
]);
export type FieldSource = z.infer<typeof fieldSource>;

export const mappingSchema = z
  .object({
    $comment: z.string().optional(),
    kind: z.enum(RECORD_KIND_NAMES as [RecordKindName, ...RecordKindName[]]).optional(),
    format: z.enum(FILE_FORMATS).optional(),
    delimiter: z.string().min(1).max(1).optional(),
    /** Default date format for timestamp fields (see values.ts). */
    dateFormat: z.string().min(1).optional(),
    /** Zone for times written without an offset. */
    timezone: z.string().refine(isValidZone, 'not an IANA time zone such as UTC or Asia/Riyadh').optional(),
    /**
     * Rows with a different number of fields than the header: `reject` them (default), or
     * `allow` them and match cells by position — only for files whose header is known to be off.
     */
    raggedRows: z.enum(['reject', 'allow']).default('reject'),
    /**
     * CSV/TSV quotes: `strict` (default) rejects a row with a quote inside an unquoted field;
     * `relaxed` keeps such quotes as text — for files written by tools that do not escape them.
     */
    quotes: z.enum(['strict', 'relaxed']).default('strict'),
    /** Keep every column that no field takes as an attribute of the record. */
    keepUnmappedAsAttributes: z.boolean().default(false),
    fields: z.record(z.string(), fieldSource).default({}),
  })
  .strict();
export type Mapping = z.infer<typeof mappingSchema>;

export class MappingError extends Error {}

/** Parses `field=column` flags; `field==text` maps a constant. */
export function parseMapFlags(flags: readonly string[]): Record<string, FieldSource> {
  const fields: Record<string, FieldSource> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0 || at === flag.length - 1) {
      throw new MappingError(`--map "${flag}" should look like field=column (for example --map score=rating)`);
    }
    const field = flag.slice(0, at);
    const rest = flag.slice(at + 1);
    fields[field] = rest.startsWith('=') ? { value: rest.slice(1) } : rest;
  }
  return fields;
}

/** Checks that every mapped field exists on the kind, with a message that lists the right names. */
export function checkMappingFields(kindName: RecordKindName, mapping: Mapping): void {
  const kind = recordKind(kindName);
  const known = new Set(kind.fields.map((f) => f.name));
  for (const field of Object.keys(mapping.fields)) {
    if (field.startsWith('attributes.') && field.length > 'attributes.'.length) continue;
    if (!known.has(field) || field === 'attributes') {
      throw new MappingError(
        `"${field}" is not a field of ${kindName}. Fields: ${[...known].filter((f) => f !== 'attributes').join(', ')}, or attributes.<name>`,
      );
    }
  }
}

export function parseMappingJson(text: string, source: string): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MappingError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const result = mappingSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new MappingError(`${source} is not a valid mapping:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}
