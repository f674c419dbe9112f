import { z } from '@hono/zod-openapi';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { IMPORT_ERROR_KINDS, type ImportErrorKind, importStatus } from '../../db/schema';

const count = z.number().int();

export const Import = z
  .object({
    id: z.string(),
    listId: z.string(),
    status: z.enum(importStatus.enumValues),
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    duplicates: z.number().int(),
    invalid: z.number().int(),
    errors: z
      .array(
        z.object({
          row: z.number().int().openapi({ description: 'the data row, counted from 1' }),
          line: z.number().int().optional().openapi({
            description:
              'the line of the file the row starts on, as a text editor numbers it: the header is line 1, blank lines and line breaks inside quoted cells count (a spreadsheet shows the same numbers until a cell holds a line break); absent on imports made before it was recorded',
          }),
          kind: z.enum(IMPORT_ERROR_KINDS).optional().openapi({
            description: 'the reason as a word (absent on imports made before it was recorded)',
          }),
          value: z.string(),
          reason: z.string(),
        }),
      )
      .openapi({ description: 'the first 1,000 rejected rows' }),
    errorCounts: z
      .object({
        fieldCount: count,
        tooLong: count,
        unclosedQuote: count,
        invalidPhone: count,
        missingCountry: count,
      } satisfies Record<ImportErrorKind, typeof count>)
      .openapi({
        description:
          'every rejected row by kind (they add up to `invalid`): `fieldCount` too few or too many fields, `tooLong` a value or row over its limit, `unclosedQuote`, `invalidPhone`, `missingCountry` a number without + or 00 in an import without defaultCountry',
      }),
    phoneColumn: z.string().optional(),
    delimiter: z.string().optional(),
    failure: z.string().nullable().openapi({ description: 'why the whole import failed' }),
    attempts: z.number().int().openapi({
      description:
        'attempts started: more than 1 when an attempt stopped without finishing (its worker died) and the import started again from zero',
    }),
    restartedAt: z
      .string()
      .nullable()
      .openapi({ description: 'when the latest attempt started again; null if it never had to' }),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Import');
export type Import = z.infer<typeof Import>;

/** An import in a list of them: its figures without its rejected rows (up to 1,000 each). */
export const ImportSummary = Import.omit({ errors: true }).openapi('ImportSummary');
export type ImportSummary = z.infer<typeof ImportSummary>;

export const ImportQuery = z.object({
  phoneColumn: z.string().trim().min(1).optional().openapi({
    description:
      "the phone column's header (any case); else the first naming a phone (phone, mobile, tel…)",
  }),
  defaultCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 country code')
    .transform((value) => value.toUpperCase())
    // Two letters are not enough: libphonenumber-js throws on a code it does not know (`ZZ`),
    // which would fail the import job.
    .refine(isSupportedCountry, 'must be a country code libphonenumber knows, such as DE')
    .optional()
    .openapi({
      description: 'ISO 3166 alpha-2 country (DE) of the numbers written without +country code',
    }),
  delimiter: z
    .enum([',', ';', '\t', '|', 'tab'])
    .transform((value) => (value === 'tab' ? '\t' : value))
    .optional()
    .openapi({
      description: 'the column separator (`tab` for a tab); guessed from the file when absent',
    }),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

export const PreviewQuery = ImportQuery.extend({
  partial: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .openapi({
      description:
        'true: the body is the start of a longer file (its first bytes), whose last line may be cut: that line is not read',
    }),
});
export type PreviewQuery = z.infer<typeof PreviewQuery>;

const RejectedRow = z.object({
  row: z.number().int().openapi({ description: 'the data row, counted from 1' }),
  line: z.number().int().openapi({ description: 'the line of the file it starts on' }),
  kind: z.enum(IMPORT_ERROR_KINDS),
  value: z.string(),
  reason: z.string(),
});

export const ImportPreview = z
  .object({
    delimiter: z.string().openapi({ description: 'the column separator, given or guessed' }),
    columns: z.array(z.string()).openapi({ description: 'the header, as the import names it' }),
    phoneColumn: z.string().nullable().openapi({
      description: 'the phone column, named or found; null when the file has none by that name',
    }),
    attributeColumns: z.array(z.string()),
    defaultCountry: z.string().nullable().openapi({
      description: 'the country of numbers written without + or 00: given, or DEFAULT_COUNTRY',
    }),
    rows: z
      .array(
        z.object({
          row: z.number().int(),
          phone: z.string().nullable().openapi({ description: 'E.164; null for a rejected row' }),
          attributes: z.record(z.string(), z.string()).openapi({
            description: 'what the import would store: trimmed, empty cells left out',
          }),
          error: RejectedRow.nullable(),
        }),
      )
      .openapi({ description: 'the first 10 data rows as the import would read them' }),
    failures: z.array(RejectedRow).openapi({
      description: 'the rows of the body that the import would reject, the first 100',
    }),
    rowsRead: z.number().int().openapi({ description: 'data rows in the body' }),
    failing: z.number().int().openapi({ description: 'of those, the rows it would reject' }),
    complete: z.boolean().openapi({ description: 'false when `partial` said the file goes on' }),
    failure: z.string().nullable().openapi({
      description:
        'why the import would fail as a whole (no phone column, too many columns, no data rows); null when it would run',
    }),
  })
  .openapi('ImportPreview');
export type ImportPreview = z.infer<typeof ImportPreview>;
