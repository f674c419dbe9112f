import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createCampaign, type Json, waitCompleted } from './helpers/api';
import { createList, importCsv } from './helpers/audience';
import { factories } from './helpers/factories';
import { useTestService } from './helpers/service';
import { deliver, inbound } from './helpers/webhooks';

// the columns every export had, spelled out here as the contract (not imported from the code)
const FIXED =
  'id,runId,contactId,phone,kind,status,providerMessageId,error,attempts,sentAt,deliveredAt,readAt,repliedAt'.split(
    ',',
  );
// added with senders, after replyText so that no column moved
// then those of send windows (issue 19)
const SENDER_COLUMNS = [
  'senderId',
  'errorCode',
  'errorTitle',
  'pricingCategory',
  'billable',
  'notBefore',
  'timeZone',
];
const ANN = '+447911123401';
const BOB = '+447911123402';
const FORMULA = '=HYPERLINK("http://x.test","y")';

let campaignId: string;
let listId: string;
const firstReplyAt = Math.floor(Date.now() / 1000);

/** The export as the client receives it: its text and its cells. */
async function exportCsv(query = '') {
  const response = await t.request(`/v1/campaigns/${campaignId}/messages${query}`, {
    headers: { accept: 'text/csv' },
  });
  const text = await response.text();
  const [header = [], ...rows] = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const rowOf = (phoneCell: string) => {
    const row = rows.find((cells) => cells[FIXED.indexOf('phone')] === phoneCell);
    if (!row) throw new Error(`no row for ${phoneCell} in\n${text}`);
    return Object.fromEntries(header.map((name, i) => [name, row[i]]));
  };
  return { status: response.status, text, header, rows, rowOf };
}

// three attribute columns at most: the contacts below have exactly three
const t = useTestService({ env: { IMPORT_MAX_COLUMNS: '3' } });
beforeAll(async () => {
  listId = await createList(t);
  // `status` is named like a fixed column; Ann's city is a formula
  const csv = `phone,first_name,city,status\n${ANN},Ann,"${FORMULA.replaceAll('"', '""')}",gold\n${BOB},Bob,London,silver\n`;
  expect((await importCsv(t, listId, csv)).created).toBe(2);
  const templateId = await factories(t).template([]);
  const campaign = await createCampaign(t, { name: 'Spring sale', templateId, listIds: [listId] });
  campaignId = String(campaign.id);
  expect((await api(t).post(`/v1/campaigns/${campaignId}/start`)).status).toBe(200);
  await waitCompleted(t, campaignId);
  // Ann answers twice: the first reply is the one the export shows
  await deliver(t, inbound(ANN, { body: 'Yes please', time: firstReplyAt }));
  await deliver(t, inbound(ANN, { body: 'What time?', time: firstReplyAt + 60 }));
}, 60_000);

describe('GET /v1/campaigns/{id}/messages as CSV', () => {
  it('adds the campaign name, the first reply and every attribute after the fixed columns', async () => {
    const csv = await exportCsv();
    expect(csv.status).toBe(200);
    expect(csv.header).toEqual([
      ...FIXED,
      'campaignName',
      'replyText',
      ...SENDER_COLUMNS,
      'attr.city',
      'attr.first_name',
      'attr.status',
    ]);
    expect(csv.rows).toHaveLength(2);
    const ann = csv.rowOf(`'${ANN}`);
    expect(ann).toMatchObject({
      campaignName: 'Spring sale',
      replyText: 'Yes please',
      repliedAt: new Date(firstReplyAt * 1000).toISOString(),
      'attr.first_name': 'Ann',
      'attr.status': 'gold',
      // the fixed column keeps the message's status
      status: expect.stringMatching(/^(sent|delivered|read)$/),
    });
    // the formula in an attribute is defused like any other cell
    expect(ann['attr.city']).toBe(`'${FORMULA}`);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x.test"",""y"")"`);
    expect(csv.rowOf(`'${BOB}`)).toMatchObject({
      replyText: '',
      repliedAt: '',
      'attr.city': 'London',
      'attr.status': 'silver',
    });
  });

  it('takes the attribute columns ?attributes= names, in its order, or none', async () => {
    const some = await exportCsv('?attributes=status,%20first_name,status,nickname');
    expect(some.header.slice(FIXED.length)).toEqual([
      'campaignName',
      'replyText',
      ...SENDER_COLUMNS,
      'attr.status',
      'attr.first_name',
      'attr.nickname',
    ]);
    expect(some.rowOf(`'${ANN}`)).toMatchObject({
      'attr.status': 'gold',
      'attr.first_name': 'Ann',
      'attr.nickname': '',
    });
    const none = await exportCsv('?attributes=');
    expect(none.header).toEqual([...FIXED, 'campaignName', 'replyText', ...SENDER_COLUMNS]);
  });

  it('writes phones quoted by default, as digits or as bare E.164 on request', async () => {
    expect((await exportCsv()).rowOf(`'${ANN}`).phone).toBe(`'${ANN}`);
    expect((await exportCsv('?phoneFormat=quoted')).text).toContain(`,'${ANN},`);
    const digits = await exportCsv('?phoneFormat=digits');
    expect(digits.rowOf(ANN.slice(1)).contactId).toBeTruthy();
    expect(digits.text).not.toContain(`'${ANN.slice(1)}`);
    const e164 = await exportCsv('?phoneFormat=e164');
    expect(e164.text).toContain(`,${ANN},`);
    // only the phone column is bare: the attribute formula stays defused
    expect(e164.rowOf(ANN)['attr.city']).toBe(`'${FORMULA}`);
    const bad = await t.request(`/v1/campaigns/${campaignId}/messages?phoneFormat=plain`, {
      headers: { accept: 'text/csv' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).detail).toMatch(/phoneFormat/);
  });

  it('refuses more attribute columns than IMPORT_MAX_COLUMNS, naming ?attributes=', async () => {
    const named = await exportCsv('?attributes=a,b,c,d');
    expect(named.status).toBe(400);
    expect(JSON.parse(named.text)).toMatchObject({
      code: 'bad_request',
      errors: [{ path: 'query.attributes' }],
    });
    // a second import gives Bob a fourth attribute: four distinct among the exported contacts
    expect((await importCsv(t, listId, `phone,vip\n${BOB},yes\n`)).updated).toBe(1);
    const all = await exportCsv();
    expect(all.status).toBe(400);
    expect(JSON.parse(all.text).detail).toMatch(/more than 3 distinct attributes.*\?attributes=/);
    const chosen = await exportCsv('?attributes=vip');
    expect(chosen.status).toBe(200);
    expect(chosen.rowOf(`'${BOB}`)['attr.vip']).toBe('yes');
  });
});
