import { describe, expect, it } from 'vitest';
import { renderTemplate, type TemplateForSend } from '../src/templates/render';
import { api, createCampaign, type Json } from './helpers/api';
import { factories } from './helpers/factories';
import { useTestService, waitFor } from './helpers/service';

const t = useTestService();

type Case = { attributes: Record<string, string>; expected: Json };

/** Starts a campaign of `parameters` over one contact per case; answers its messages by phone. */
async function renderAll(parameters: string[], cases: Case[]) {
  const f = factories(t);
  const list = await f.list();
  const phones: string[] = [];
  for (const { attributes } of cases) {
    const contact = await f.contact(attributes);
    await f.addToList(list, contact.id);
    phones.push(contact.phone);
  }
  const templateId = await f.template(parameters);
  const campaign = await createCampaign(t, { templateId, listIds: [list], ratePerSecond: 1000 });
  // most cases skip on purpose: past MAX_SKIPPED_PERCENT the start needs acceptSkips
  const started = await api(t).post(`/v1/campaigns/${campaign.id}/start`, { acceptSkips: true });
  expect(started.status).toBe(200);
  // a refusal too many pauses the campaign: it never completes then
  const status = await waitFor(async () => {
    const { body } = await api(t).get(`/v1/campaigns/${campaign.id}`);
    return ['completed', 'paused'].includes(String(body.status)) && String(body.status);
  });
  const page = await api(t).get(`/v1/campaigns/${campaign.id}/messages?limit=1000`);
  const messages = new Map((page.body.data as Json[]).map((m) => [m.phone, m]));
  return { campaignId: String(campaign.id), status, phones, messages };
}

/** What the TypeScript renderer makes of a case: the twin of the snapshot's SQL. */
function renderedByTypeScript(parameters: string[], attributes: Record<string, string>) {
  const template: TemplateForSend = {
    name: 'promo',
    namespace: 'ns',
    language: { code: 'en', policy: 'deterministic' },
    parameters,
  };
  const result = renderTemplate(template, { phone: '+4915100000000', attributes }, 1024);
  return result.ok ? { status: 'sent', error: null } : { status: 'skipped', error: result.reason };
}

describe('template rendering, in SQL at the snapshot and in TypeScript', () => {
  it('reads own attributes only: names of Object.prototype are missing unless the contact has them', async () => {
    const parameters = [
      '{{constructor|friend}}',
      '{{toString|x}}-{{__proto__|y}}',
      '{{hasOwnProperty|z}}',
      '{{valueOf}}',
    ];
    const cases: Case[] = [
      { attributes: {}, expected: { status: 'skipped', error: 'missing attribute "valueOf"' } },
      {
        attributes: { constructor: 'C', ['__proto__']: 'P', hasOwnProperty: 'H', valueOf: 'V' },
        expected: { status: 'sent', error: null },
      },
    ];
    const { phones, messages } = await renderAll(parameters, cases);
    cases.forEach(({ attributes, expected }, i) => {
      expect(messages.get(phones[i]), JSON.stringify(attributes)).toMatchObject(expected);
      expect(renderedByTypeScript(parameters, attributes)).toEqual(expected);
    });
    const sent = t.provider.sends().find((s) => (s.body as Json).phone === phones[1]?.slice(1));
    expect(sent?.body).toMatchObject({
      params: [{ parameters: ['C', 'x-P', 'H', 'V'].map((text) => ({ type: 'text', text })) }],
    });
  });

  it('skips a parameter WhatsApp would refuse, with the reason, before any send: no failure counts', async () => {
    // Like WhatsApp: such a parameter is refused for good, and each refusal counts toward the
    // campaign's failure rail (20 of 25 would pause it).
    t.provider.respondWith((request) => {
      const params = JSON.stringify((request.body as Json).params ?? []);
      return /\\n|\\r|\\t| {5}|x{1025}/.test(params)
        ? {
            status: 200,
            body: {
              sent: false,
              message:
                'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
            },
          }
        : undefined;
    });
    const parameters = ['{{note}}', 'Hi {{name|there}}'];
    const refused = (parameter: number, what: string) =>
      `parameter ${parameter}: ${what}, which WhatsApp refuses in a template parameter`;
    const kinds: Case[] = [
      {
        attributes: { note: 'a\nb' },
        expected: { status: 'skipped', error: refused(1, 'a line break') },
      },
      {
        attributes: { note: 'a\r\nb' },
        expected: { status: 'skipped', error: refused(1, 'a line break') },
      },
      { attributes: { note: 'a\tb' }, expected: { status: 'skipped', error: refused(1, 'a tab') } },
      {
        attributes: { note: 'a     b' },
        expected: { status: 'skipped', error: refused(1, 'more than 4 consecutive spaces') },
      },
      {
        attributes: { note: 'x'.repeat(100_004) },
        expected: {
          status: 'skipped',
          error: 'parameter 1: 100,004 characters, the limit is 1,024',
        },
      },
      {
        attributes: { note: 'ok', name: 'A\nB' },
        expected: { status: 'skipped', error: refused(2, 'a line break') },
      },
    ];
    const fine: Case[] = [
      { attributes: { note: 'a    b', name: ' Ann\n' }, expected: { status: 'sent', error: null } },
      { attributes: { note: '🙂'.repeat(1024) }, expected: { status: 'sent', error: null } },
    ];
    const cases = [...kinds, ...kinds, ...kinds, ...kinds, ...fine];
    const { campaignId, status, phones, messages } = await renderAll(parameters, cases);
    expect(status).toBe('completed');
    cases.forEach(({ attributes, expected }, i) => {
      const label = JSON.stringify(attributes).slice(0, 80);
      expect(messages.get(phones[i]), label).toMatchObject(expected);
      expect(renderedByTypeScript(parameters, attributes), label).toEqual(expected);
    });
    const sentTo = t.provider.sends().map((s) => `+${(s.body as Json).phone}`);
    expect(sentTo.filter((phone) => phones.includes(phone)).sort()).toEqual(
      phones.slice(-2).sort(),
    );
    const stats = await api(t).get(`/v1/campaigns/${campaignId}/stats`);
    expect(stats.body).toMatchObject({ failed: 0, skipped: kinds.length * 4 });
  });
});
