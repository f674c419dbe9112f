import { describe, expect, it } from 'vitest';
import { api, campaignSetup, createCampaign } from './helpers/api';
import { useTestService } from './helpers/service';

const t = useTestService();

const body = {
  name: 'spring_sale',
  namespace: 'ns_1',
  language: { code: 'en' },
  category: 'marketing',
  parameters: ['{{first_name|friend}}', '{{discount}}%'],
};

describe('templates', () => {
  it('creates (policy defaulting to deterministic), shows and lists templates', async () => {
    const created = await api(t).post('/v1/templates', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'spring_sale',
      namespace: 'ns_1',
      language: { code: 'en', policy: 'deterministic' },
      category: 'marketing',
      parameters: ['{{first_name|friend}}', '{{discount}}%'],
    });
    const shown = await api(t).get(`/v1/templates/${created.body.id}`);
    expect(shown).toEqual({ status: 200, body: created.body });
    const listed = await api(t).get('/v1/templates?limit=1000');
    expect((listed.body.data as { id: string }[]).map((x) => x.id)).toContain(created.body.id);
  });

  it('pages with a cursor, newest first', async () => {
    for (let i = 0; i < 3; i++) await api(t).post('/v1/templates', { ...body, name: `t${i}` });
    const first = await api(t).get('/v1/templates?limit=2');
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).toBeTypeOf('string');
    const second = await api(t).get(`/v1/templates?limit=2&cursor=${first.body.nextCursor}`);
    const seen = [...(first.body.data as Json[]), ...(second.body.data as Json[])];
    expect(new Set(seen.map((x) => x.id)).size).toBe(seen.length);
    expect((first.body.data as Json[])[0]?.name).toBe('t2');
    expect((await api(t).get('/v1/templates?cursor=garbage')).status).toBe(400);
  });

  it('refuses placeholder syntax errors with the path of the parameter', async () => {
    const response = await api(t).post('/v1/templates', {
      ...body,
      parameters: ['ok {{name}}', 'Hi {{first_name', '{{|x}}', '  '],
    });
    expect(response.status).toBe(422);
    const paths = (response.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(['parameters.1', 'parameters.2', 'parameters.3']);
  });

  it('refuses text of its own that WhatsApp refuses in a parameter, naming what', async () => {
    const response = await api(t).post('/v1/templates', {
      ...body,
      parameters: ['Hi\n{{name}}', '{{name|dear\tfriend}}', 'a     b', 'a    {{b}}'],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        path: 'parameters.0',
        message: expect.stringMatching(/line break/),
      }),
      expect.objectContaining({ path: 'parameters.1', message: expect.stringMatching(/a tab/) }),
      expect.objectContaining({
        path: 'parameters.2',
        message: expect.stringMatching(/4 consecutive spaces/),
      }),
    ]);
  });

  it('deletes a template only when no unfinished campaign uses it', async () => {
    const { templateId, listId } = await campaignSetup(t);
    const campaign = await createCampaign(t, { templateId, listIds: [listId] });
    const refused = await api(t).delete(`/v1/templates/${templateId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('conflict');
    expect((await api(t).post(`/v1/campaigns/${campaign.id}/cancel`)).status).toBe(200);
    expect((await api(t).delete(`/v1/templates/${templateId}`)).status).toBe(204);
    expect((await api(t).get(`/v1/templates/${templateId}`)).status).toBe(404);
    expect((await api(t).delete(`/v1/templates/${templateId}`)).status).toBe(404);
    // a deleted template cannot back a new campaign
    const again = await api(t).post('/v1/campaigns', {
      name: 'x',
      templateId,
      listIds: [listId],
    });
    expect(again.status).toBe(422);
    expect(again.body.errors).toEqual([{ path: 'templateId', message: 'no such template' }]);
  });
});

type Json = Record<string, unknown>;
