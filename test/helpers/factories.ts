import { randomInt } from 'node:crypto';
import {
  campaigns,
  contacts,
  listMembers,
  lists,
  optOuts,
  runs,
  templates,
} from '../../src/db/schema';
import type { TestService } from './service';

/**
 * Rows created straight through drizzle, for tests that need lists and contacts without going
 * through the CSV import.
 */
export function factories(t: TestService) {
  const { db } = t.service.ctx.database;
  return {
    async list(name = 'list'): Promise<string> {
      const [row] = await db.insert(lists).values({ name }).returning({ id: lists.id });
      if (!row) throw new Error('no list');
      return row.id;
    },
    async contact(
      attributes: Record<string, string> = {},
      phone = `+4915${randomInt(10_000_000, 99_999_999)}`,
    ): Promise<{ id: string; phone: string }> {
      const [row] = await db
        .insert(contacts)
        .values({ phone, attributes })
        .returning({ id: contacts.id, phone: contacts.phone });
      if (!row) throw new Error('no contact');
      return row;
    },
    async addToList(listId: string, ...contactIds: string[]): Promise<void> {
      await db.insert(listMembers).values(contactIds.map((contactId) => ({ listId, contactId })));
    },
    async optOut(phone: string): Promise<void> {
      await db.insert(optOuts).values({ phone, source: 'api' });
    },
    async template(parameters: string[] = []): Promise<string> {
      const [row] = await db
        .insert(templates)
        .values({ name: 'promo', namespace: 'ns', languageCode: 'en', parameters })
        .returning({ id: templates.id });
      if (!row) throw new Error('no template');
      return row.id;
    },
    /** A campaign on no list and one run of it, started now: what message rows refer to. */
    async campaignWithRun(values: typeof campaigns.$inferInsert) {
      const [campaign] = await db.insert(campaigns).values(values).returning();
      if (!campaign) throw new Error('no campaign');
      const [run] = await db
        .insert(runs)
        .values({ campaignId: campaign.id, scheduledFor: new Date(), startedAt: new Date() })
        .returning();
      if (!run) throw new Error('no run');
      return { campaign, run };
    },
  };
}
