// Property test (fast-check) over CSV uploads: whatever the bytes, the upload is a 202 or a 4xx
// problem document, the import ends `completed` or `failed` (never stuck, never a crash), its
// counts add up, and contacts stored before are never damaged.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Import } from '../src/contacts/import/schemas';
import { api } from './helpers/api';
import { upload, waitForImport } from './helpers/audience';
import { factories } from './helpers/factories';
import { expectNoServerError, FUZZ_RUNS } from './helpers/fuzz';
import { useTestService } from './helpers/service';

let listId: string;
let before: { id: string; phone: string; attributes: string }[] = [];
const t = useTestService();
beforeAll(async () => {
  const f = factories(t);
  listId = await f.list();
  // Phones that fuzzed CSV text does not produce: every change to them is damage.
  for (let i = 0; i < 5; i++) {
    const contact = await f.contact({ first_name: `Kept${i}` }, `+3161234567${i}`);
    await f.addToList(listId, contact.id);
  }
  before = await stored();
});

async function stored() {
  return t.service.ctx.database.sql<
    { id: string; phone: string; attributes: string }[]
  >`select id, phone, attributes::text as attributes from contacts where phone like '+3161234567%' order by id`;
}

const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '+79995253422',
    '8 (999) 525-34-22',
    '=cmd|x',
    '"',
    '""',
    ',',
    '\n',
    '\r\n',
    ';',
    '\t',
    '\uFEFF',
    '\u0000',
    'é',
  ),
);
const csvText = fc.oneof(
  // rows of cells, with a header that may or may not name a phone column
  fc
    .tuple(
      fc.constantFrom('phone', 'Phone,name', 'mobile;city', 'msisdn\tx', 'name', ''),
      fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 20 }),
      fc.constantFrom(',', ';', '\t', '|'),
    )
    .map(([header, rows, delimiter]) =>
      Buffer.from([header, ...rows.map((r) => r.join(delimiter))].join('\n')),
    ),
  // any text, and any bytes (broken UTF-8, UTF-16, NULs)
  fc.string({ unit: 'binary', maxLength: 400 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
);

describe('fuzzed CSV imports', () => {
  it('are accepted or refused cleanly, finish, add up, and never damage stored contacts', async () => {
    const statuses = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.constantFrom(
          '',
          '?defaultCountry=DE',
          '?phoneColumn=name',
          '?delimiter=%3B',
          '?defaultCountry=ZZ',
        ),
        async (body, query) => {
          const response = await upload(t, listId, body, query);
          const status = await expectNoServerError(
            response.clone(),
            `import of ${JSON.stringify(body.toString('latin1').slice(0, 200))}`,
          );
          statuses.add(String(status));
          if (status !== 202) return;
          const { id } = (await response.json()) as { id: string };
          const done = Import.parse(await waitForImport(t, id));
          statuses.add(done.status);
          if (done.status === 'completed') {
            const { rows, created, updated, duplicates, invalid } = done;
            expect(created + updated + duplicates + invalid).toBe(rows);
            const byKind = Object.values(done.errorCounts).reduce((sum, n) => sum + n, 0);
            expect(byKind).toBe(invalid);
            // a rejected row's line is never before its row's: the header is line 1, row 1 line 2 or later
            for (const error of done.errors) expect(error.line).toBeGreaterThan(error.row);
          }
        },
      ),
      {
        numRuns: FUZZ_RUNS,
        // Few fuzzed files are importable (about one in forty: most lack a phone column or
        // name a wrong option), so the runs could all be refused: these always import.
        examples: [
          [Buffer.from('phone,name\n+79995253422,Ann\n8 (999) 525-34-23,Bob\n'), ''],
          [Buffer.from('phone;city\n8 (999) 525-34-24;Moscow\n'), '?delimiter=%3B'],
        ],
      },
    );
    // every answer seen, to tell a run that exercised no import from a broken one
    expect(statuses.has('completed'), `answers and ends seen: ${[...statuses].join(', ')}`).toBe(
      true,
    );
    expect(await stored()).toEqual(before);
    expect((await api(t).get('/healthz')).status).toBe(200);
  }, 120_000);
});
