import { beforeAll, describe, expect, it } from 'vitest';
import { api, campaignSetup, createCampaign, type Json } from './helpers/api';
import { useTestService } from './helpers/service';
import { postWebhook } from './helpers/webhooks';

let setup: { templateId: string; listId: string };
const t = useTestService();
beforeAll(async () => {
  setup = await campaignSetup(t);
});

type Schema = Json & { $ref?: string; type?: string | string[] };
type Operation = {
  parameters?: { name: string; in: string; schema: Schema }[];
  requestBody?: Json;
};

/** Every number and integer a request can carry, with its path, `$ref`s followed. */
function numbersIn(
  schema: unknown,
  components: Record<string, Schema>,
  path: string,
): [string, Schema][] {
  if (Array.isArray(schema))
    return schema.flatMap((item, i) => numbersIn(item, components, `${path}/${i}`));
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Schema;
  if (node.$ref) {
    const name = node.$ref.replace('#/components/schemas/', '');
    return numbersIn(components[name], components, `${path}→${name}`);
  }
  const types = [node.type].flat();
  const own: [string, Schema][] =
    types.includes('number') || types.includes('integer') ? [[path, node]] : [];
  return [
    ...own,
    ...Object.entries(node).flatMap(([key, value]) =>
      numbersIn(value, components, `${path}/${key}`),
    ),
  ];
}

describe('numbers the API takes', () => {
  it('have an inclusive lower and upper bound in every request of the OpenAPI document', async () => {
    const doc = (await api(t).get('/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };
    const found: [string, Schema][] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        found.push(...numbersIn(operation.parameters, doc.components.schemas, where));
        found.push(...numbersIn(operation.requestBody, doc.components.schemas, where));
      }
    }
    // the pages' `limit` and the campaigns' `ratePerSecond` at least
    expect(found.length).toBeGreaterThanOrEqual(9);
    // A literal (the webhook's `fromMe: 0 | 1`) is its own bound.
    const bounded = (schema: Schema) =>
      Array.isArray(schema.enum) ||
      (typeof schema.minimum === 'number' && typeof schema.maximum === 'number');
    const unbounded = found.filter(([, schema]) => !bounded(schema)).map(([path]) => path);
    expect(unbounded).toEqual([]);
  });

  it('refuses a campaign rate outside 0.01 to 1,000 a second with 422, naming the bounds', async () => {
    const draft = await createCampaign(t, {
      templateId: setup.templateId,
      listIds: [setup.listId],
    });
    for (const ratePerSecond of [1e-300, 0.001, 0.0099, 0, -1, 1000.5, 10_000, 1e308]) {
      for (const response of [
        await api(t).post('/v1/campaigns', {
          name: 'x',
          templateId: setup.templateId,
          listIds: [setup.listId],
          ratePerSecond,
        }),
        await api(t).patch(`/v1/campaigns/${draft.id}`, { ratePerSecond }),
      ]) {
        expect(response.status, String(ratePerSecond)).toBe(422);
        expect(response.body.errors).toEqual([
          { path: 'ratePerSecond', message: 'must be from 0.01 to 1,000 messages a second' },
        ]);
        expect(response.body.detail).toBe(
          'ratePerSecond: must be from 0.01 to 1,000 messages a second',
        );
      }
    }
    for (const ratePerSecond of [0.01, 1000]) {
      const created = await createCampaign(t, {
        templateId: setup.templateId,
        listIds: [setup.listId],
        ratePerSecond,
      });
      expect(created.ratePerSecond).toBe(ratePerSecond);
    }
    expect((await api(t).get(`/v1/campaigns/${draft.id}`)).body.ratePerSecond).toBeNull();
  });

  it("refuses a page's limit outside 1 to 1,000 on every list route with 400, naming the bounds", async () => {
    const campaign = await createCampaign(t, {
      templateId: setup.templateId,
      listIds: [setup.listId],
    });
    const lists = [
      '/v1/lists',
      `/v1/lists/${setup.listId}/contacts`,
      '/v1/opt-outs',
      '/v1/templates',
      '/v1/campaigns',
      '/v1/conversations',
      `/v1/campaigns/${campaign.id}/messages`,
    ];
    for (const path of lists) {
      for (const limit of ['0', '-1', '1001', '1e300', '2.5', 'ten', '']) {
        const response = await api(t).get(`${path}?limit=${limit}`);
        expect(response.status, `${path}?limit=${limit}`).toBe(400);
        expect(response.body.detail).toBe('query.limit: must be a whole number from 1 to 1,000');
      }
      for (const limit of ['1', '1000']) {
        expect((await api(t).get(`${path}?limit=${limit}`)).status, path).toBe(200);
      }
    }
  });

  it('refuses a webhook body whose numeric instance id is not a whole number a JavaScript integer holds', async () => {
    const ack = { ack: [{ id: 'nobody', status: 'delivered' }] };
    for (const instanceId of [1e300, -1, 1.5]) {
      expect((await postWebhook(t, { ...ack, instanceId })).status, String(instanceId)).toBe(400);
      expect((await postWebhook(t, { ...ack, channelId: instanceId })).status).toBe(400);
    }
    expect((await postWebhook(t, { ...ack, instanceId: 777 })).status).toBe(200);
    expect((await postWebhook(t, { ...ack, instanceId: '777' })).status).toBe(200);
  });
});
