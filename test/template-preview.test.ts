// The console's API additions for writing templates: a template's parameters (and a follow-up)
// rendered for one contact by the sends' own renderer, and the attribute names of a list.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiPermission } from '../src/access/permissions';
import { api } from './helpers/api';
import { factories } from './helpers/factories';
import { useTestService } from './helpers/service';

const t = useTestService({ env: { TEMPLATE_PARAMETER_MAX_CHARS: '20' } });
let anna: { id: string; phone: string };
let bare: { id: string; phone: string };
let listId: string;

beforeAll(async () => {
  const f = factories(t);
  listId = await f.list('customers');
  anna = await f.contact({ first_name: 'Anna', city: 'Berlin' });
  bare = await f.contact({ first_name: ' ', plan: 'gold' });
  await f.addToList(listId, anna.id, bare.id);
});

const preview = (body: unknown) => api(t).post('/v1/templates/preview', body);

describe('POST /v1/templates/preview', () => {
  it('renders each parameter for the contact, saying what each part came from', async () => {
    const response = await preview({
      parameters: ['Hi {{first_name|there}}', '{{city|your city}}!'],
      followUp: 'Thanks {{first_name}}',
      contactId: anna.id,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({
      contact: anna,
      parameters: [
        {
          text: 'Hi Anna',
          pieces: [
            { kind: 'text', text: 'Hi ', attribute: null },
            { kind: 'value', text: 'Anna', attribute: 'first_name' },
          ],
          problem: null,
        },
        {
          text: 'Berlin!',
          pieces: [
            { kind: 'value', text: 'Berlin', attribute: 'city' },
            { kind: 'text', text: '!', attribute: null },
          ],
          problem: null,
        },
      ],
      followUp: {
        text: 'Thanks Anna',
        pieces: [
          { kind: 'text', text: 'Thanks ', attribute: null },
          { kind: 'value', text: 'Anna', attribute: 'first_name' },
        ],
        problem: null,
      },
      missing: [],
      errors: [],
      skipReason: null,
    });
  });

  it('shows fallbacks for a blank or missing attribute, and why a contact would be skipped', async () => {
    const response = await preview({
      parameters: ['Hi {{first_name|there}}', '{{city}}', '{{plan}} plan, very long text'],
      followUp: 'Bye {{nickname}}',
      contactId: bare.id,
    });
    expect(response.status).toBe(200);
    const body = response.body as {
      parameters: { text: string | null; pieces: { kind: string }[]; problem: string | null }[];
    } & Record<string, unknown>;
    expect(body.parameters.map((p) => p.text)).toEqual(['Hi there', null, null]);
    expect(body.parameters[0]?.pieces.map((p) => p.kind)).toEqual(['text', 'fallback']);
    expect(body.parameters[1]?.problem).toBe('missing attribute "city"');
    // the provider's rules, with this service's TEMPLATE_PARAMETER_MAX_CHARS of 20
    expect(body.parameters[2]?.problem).toBe('parameter 3: 25 characters, the limit is 20');
    expect(body.missing).toEqual(['first_name', 'city', 'nickname']);
    // what the run's message would say: the first parameter that cannot be sent
    expect(body.skipReason).toBe('missing attribute "city"');
    expect(body.followUp).toMatchObject({ text: null, problem: 'missing attribute "nickname"' });
  });

  it("renders a saved template's parameters, and a contact with no attributes without contactId", async () => {
    const f = factories(t);
    const templateId = await f.template(['{{first_name|friend}}']);
    const response = await preview({ templateId });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      contact: null,
      parameters: [{ text: 'friend', problem: null }],
      followUp: null,
      missing: ['first_name'],
      skipReason: null,
    });
  });

  it('answers a text the template or campaign would refuse with its error, as it is typed', async () => {
    const typing = await preview({
      parameters: ['ok', 'Hi {{first_name', 'a\tb'],
      followUp: 'Bye {{',
      contactId: anna.id,
    });
    expect(typing.status).toBe(200);
    const created = await api(t).post('/v1/templates', {
      name: 'x',
      namespace: 'y',
      language: { code: 'en' },
      parameters: ['ok', 'Hi {{first_name', 'a\tb'],
    });
    expect(created.status).toBe(422);
    // the same paths and words as the template's own refusal, and the follow-up's
    expect(typing.body.errors).toEqual([
      ...(created.body.errors as unknown[]),
      { path: 'followUp', message: '"{{" without a closing "}}" in "Bye {{"' },
    ]);
    expect(typing.body).toMatchObject({
      parameters: [
        { text: 'ok', problem: null },
        { text: null, pieces: [{ kind: 'text', text: 'Hi {{first_name' }] },
        { text: null },
      ],
      skipReason: null,
    });
  });

  it('refuses a malformed request, and unknown ids with 404', async () => {
    const bad = await preview({ parameters: ['x'.repeat(1025)] });
    expect(bad.status).toBe(422);
    const both = await preview({ parameters: [], templateId: randomUUID() });
    expect(both.status).toBe(422);
    for (const body of [
      { contactId: randomUUID() },
      { contactId: 'nope' },
      { templateId: randomUUID() },
    ]) {
      const response = await preview(body);
      expect(response.status, JSON.stringify(body)).toBe(404);
      expect(response.body.code).toBe('not_found');
    }
  });

  it('is a read in the permission table: it writes nothing, so analysts may preview', () => {
    expect(apiPermission('POST', '/v1/templates/preview')).toBe('read');
    expect(apiPermission('POST', '/v1/templates')).toBe('write');
  });
});

describe('GET /v1/lists/{listId}/attributes', () => {
  it("answers the attribute names of the list's contacts, alphabetical", async () => {
    const response = await api(t).get(`/v1/lists/${listId}/attributes`);
    expect(response).toEqual({
      status: 200,
      body: { names: ['city', 'first_name', 'plan'], sampled: 2 },
    });
    const empty = await api(t).get(`/v1/lists/${await factories(t).list('empty')}/attributes`);
    expect(empty.body).toEqual({ names: [], sampled: 0 });
  });
});
