import { expect } from 'vitest';
import type { Stats } from '../../src/stats/schemas';
import { api, campaignSetup, createCampaign, type Json } from './api';
import type { TestService } from './service';

/**
 * Campaigns for the console's tests, made through the API with the machine token: a list of
 * `contacts` contacts (first_name set), a template and a campaign over them, optionally started.
 */
export async function campaignOver(
  t: TestService,
  contacts: number,
  body: Json = {},
  options: { start?: boolean } = {},
): Promise<string> {
  const { templateId, listId } = await campaignSetup(t, contacts);
  const campaign = await createCampaign(t, { templateId, listIds: [listId], ...body });
  const id = String(campaign.id);
  if (options.start) {
    const started = await api(t).post(`/v1/campaigns/${id}/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
  }
  return id;
}

export async function statsOf(t: TestService, id: string): Promise<Stats> {
  const response = await api(t).get(`/v1/campaigns/${id}/stats`);
  expect(response.status).toBe(200);
  return response.body as unknown as Stats;
}

/** `count` more drafts on one template and list: a long list, cheaply. */
export async function manyDrafts(t: TestService, count: number): Promise<void> {
  const { templateId, listId } = await campaignSetup(t, 1);
  for (let i = 0; i < count; i++)
    await createCampaign(t, { name: `Draft ${i}`, templateId, listIds: [listId] });
}

export const statusOf = async (t: TestService, id: string) =>
  String((await api(t).get(`/v1/campaigns/${id}`)).body.status);

/** `1,204` as the console writes numbers. */
export const inWords = (n: number) => new Intl.NumberFormat('en-GB').format(n);
