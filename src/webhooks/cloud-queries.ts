import type postgres from 'postgres';
import type { RawRow } from '../db/raw-row';
import type { contacts, messages } from '../db/schema';

/**
 * The statements of applying Meta's statuses and messages, raw because they run in the
 * webhook's raw transaction beside its acks (see queries.ts).
 */

type Tx = postgres.TransactionSql;

/** The contact Meta knows by this business-scoped user id (contacts_bsuid_uq). */
export async function contactByBsuid(tx: Tx, bsuid: string) {
  const [contact] = await tx<Pick<RawRow<typeof contacts>, 'id' | 'phone'>[]>`
    select id, phone from contacts where bsuid = ${bsuid}`;
  return contact;
}

/**
 * Keeps the WhatsApp profile name and the BSUID Meta gave on the phone's contact, if there is
 * one. A BSUID already another contact's is left where it is (a number that changed hands).
 */
export async function keepContactProfile(
  tx: Tx,
  phone: string,
  profile: { name: string | null; bsuid: string | null },
): Promise<void> {
  await tx`
    update contacts set
      profile_name = coalesce(${profile.name}, profile_name),
      bsuid = case
        when ${profile.bsuid}::text is null then bsuid
        when exists (select 1 from contacts o where o.bsuid = ${profile.bsuid} and o.phone <> ${phone})
          then bsuid
        else ${profile.bsuid} end,
      updated_at = now()
    where phone = ${phone}
      and (profile_name is distinct from coalesce(${profile.name}, profile_name)
        or (${profile.bsuid}::text is not null and bsuid is distinct from ${profile.bsuid}))`;
}

/**
 * Keeps Meta's `pricing` on the messages of these provider ids, whatever their status (a
 * status's pricing arrives with statuses that may come out of order). Nulls keep what is there.
 */
export async function applyPricing(
  tx: Tx,
  ids: string[],
  categories: (string | null)[],
  billables: (boolean | null)[],
): Promise<void> {
  await tx`
    update messages m set
      pricing_category = coalesce(p.category, m.pricing_category),
      billable = coalesce(p.billable, m.billable),
      updated_at = now()
    -- booleans go as text: postgres.js writes an array of them as one boolean
    from (select id, category, billable::boolean from unnest(${ids}::text[], ${categories}::text[],
      ${billables.map((b) => (b === null ? null : String(b)))}::text[]) as u(id, category, billable)) p
    where m.provider_message_id = p.id
      and (m.pricing_category is distinct from coalesce(p.category, m.pricing_category)
        or m.billable is distinct from coalesce(p.billable, m.billable))`;
}

export type StatusFailure = {
  providerMessageId: string;
  status: 'failed' | 'held_out';
  code: number | null;
  title: string | null;
  reason: string;
};

/**
 * A `failed` status ends the message `failed` (or `held_out` for Meta's holdout) with Meta's
 * code and title, from `pending`, `sending`, `unknown` or `sent` only: a message delivered or
 * read stays so, and one already failed, skipped, expired or held out is left alone (a retried
 * status changes nothing). As in applyAckRanks, the state test is in the UPDATE's WHERE, so a
 * row another transaction just moved is tested again. Answers the rows it moved, and the ids
 * that matched no message.
 */
export async function applyFailures(tx: Tx, failures: StatusFailure[]) {
  const moved = await tx<
    (Pick<RawRow<typeof messages>, 'phone' | 'contactId' | 'campaignId' | 'runId'> & {
      providerMessageId: string;
      status: StatusFailure['status'];
    })[]
  >`
    with f as (
      select * from unnest(
        ${failures.map((f) => f.providerMessageId)}::text[],
        ${failures.map((f) => f.status)}::text[],
        ${failures.map((f) => f.code)}::int[],
        ${failures.map((f) => f.title)}::text[],
        ${failures.map((f) => f.reason)}::text[]) as f(id, status, code, title, reason)
    )
    update messages m set
      status = f.status::message_status,
      error = f.reason,
      error_code = f.code,
      error_title = f.title,
      failed_at = case when f.status = 'failed' then now() else m.failed_at end,
      next_attempt_at = null,
      updated_at = now()
    from f
    where m.provider_message_id = f.id
      and m.status in ('pending', 'sending', 'unknown', 'sent')
    returning m.provider_message_id as "providerMessageId", f.status, m.phone,
      m.contact_id as "contactId", m.campaign_id as "campaignId", m.run_id as "runId"`;
  const [unknown] = await tx<{ ids: string[] }[]>`
    select array(
      select id from unnest(${failures.map((f) => f.providerMessageId)}::text[]) as f(id)
      where not exists (select 1 from messages m where m.provider_message_id = f.id)) as ids`;
  return { moved, unknownIds: unknown?.ids ?? [] };
}
