import type postgres from 'postgres';

/** Names and cities by contact number `n`: the contacts' attributes and their messages' params. */
export const firstName = (n: string) =>
  `(array['Anna','Ben','Clara','David','Eva','Felix','Greta','Hannes','Ida','Jonas'])[1 + ${n} % 10]`;
export const city = (n: string) =>
  `case when ${n} % 17 <> 0 then (array['Berlin','Hamburg','Munich','Cologne','Leipzig','Bremen','Dresden'])[1 + ${n} % 7] end`;

// Outcomes of a template message sent: sent 1, delivered 6, read 9, failed 2, skipped 1, unknown 1.
const outcomes = `array['sent','delivered','delivered','delivered','delivered','delivered',
  'delivered','read','read','read','read','read','read','read','read','read','failed','failed',
  'skipped','unknown']`;

/** The share of a run's rows handed to the provider by now, by the run's state. */
const handedOver = `case r.status when 'running' then 0.6 when 'paused' then 0.3
  when 'cancelled' then 0.5 else 1 end`;

/**
 * The runs' template messages as planned in `bench_runs` (a run's rows go to consecutive contacts
 * from its offset, so no contact twice in a run), sent 20 a second from the run's start; the
 * rest of a running or paused run is pending, of a cancelled one skipped. About one read message
 * in 47 has a reply.
 */
async function seedTemplateMessages(sql: postgres.Sql, contacts: number): Promise<void> {
  await sql`
    insert into messages (run_id, campaign_id, contact_id, phone, kind, status, params,
      provider_message_id, error, attempts, created_at, updated_at, sent_at, delivered_at,
      read_at, failed_at, replied_at)
    select r.id, r.campaign_id, c.id, c.phone, 'template', s.status::message_status,
      case when s.status <> 'skipped'
        then array[${sql.unsafe(firstName('c.n'))}, coalesce(${sql.unsafe(city('c.n'))}, 'your city')]
        end,
      case when s.status in ('sent', 'delivered', 'read') then 'true_bench' || r.g || '_' || pos end,
      case s.status when 'failed' then 'Invalid WhatsApp number'
        when 'skipped' then case when s.late then 'cancelled' else 'missing attribute city' end
        end,
      (s.status not in ('pending', 'skipped'))::int, r.slot + interval '1 minute',
      case when s.status = 'pending' then r.slot + interval '1 minute' else t.at end,
      case when s.status in ('sent', 'delivered', 'read') then t.at end,
      case when s.status in ('delivered', 'read') then t.at + interval '5 seconds' end,
      case when s.status = 'read' then t.at + interval '10 minutes' end,
      case when s.status = 'failed' then t.at end,
      case when s.status = 'read' and (pos * 13 + r.k) % 47 = 0 then t.at + interval '15 minutes' end
    from bench_runs r
    cross join lateral generate_series(0, r.size - 1) pos
    join bench_contacts c on c.n = 1 + (r."offset" + pos) % ${contacts}
    cross join lateral (select pos >= r.size * ${sql.unsafe(handedOver)} as late) l
    cross join lateral (select l.late,
      case when not l.late then (${sql.unsafe(outcomes)})[1 + (pos * 7 + r.g) % 20]
        when r.status = 'cancelled' then 'skipped' else 'pending' end as status) s
    cross join lateral (select r.slot + interval '2 minutes' + pos * interval '50 milliseconds'
      as at) t`;
}

/**
 * What the replies brought: each reply stored as an inbound message attributed to its template
 * message (one in ten says STOP), a second message in some threads, the campaign's follow-up
 * to each reply that did not opt out, a free-form answer by hand to some, the conversations
 * (the latest reply of each phone) and the keyword opt-outs.
 */
async function seedReplies(sql: postgres.Sql): Promise<void> {
  await sql`create temp table bench_replies as
    select id, run_id, campaign_id, contact_id, phone, replied_at, id % 10 = 3 as stop
    from messages where kind = 'template' and replied_at is not null`;
  await sql`
    insert into inbound_messages (provider_message_id, phone, contact_id, from_me, type, body,
      sent_at, attributed_message_id, campaign_id, is_opt_out, received_at)
    select 'false_' || substr(phone, 2) || '@c.us_R' || id, phone, contact_id, false, 'chat',
      case when stop then 'STOP' else (array['Yes please', 'How much is it?', 'Thanks!',
        'Where is the nearest store?', 'Is this still valid?'])[1 + id % 5] end,
      replied_at, id, campaign_id, stop, replied_at
    from bench_replies
    union all
    select 'false_' || substr(phone, 2) || '@c.us_S' || id, phone, contact_id, false, 'chat',
      'Great, see you there', replied_at + interval '5 minutes', id, campaign_id, false,
      replied_at + interval '5 minutes'
    from bench_replies where id % 4 = 0 and not stop`;
  await sql`
    insert into messages (run_id, campaign_id, contact_id, phone, kind, status, body,
      provider_message_id, attempts, created_at, updated_at, sent_at, delivered_at, read_at)
    select b.run_id, b.campaign_id, b.contact_id, b.phone, 'followup',
      (case when b.id % 2 = 0 then 'read' else 'delivered' end)::message_status,
      'Thanks! Your code: SAVE10', 'true_benchf' || b.id, 1, b.replied_at,
      b.replied_at + interval '1 minute', b.replied_at + interval '1 minute',
      b.replied_at + interval '65 seconds',
      case when b.id % 2 = 0 then b.replied_at + interval '3 minutes' end
    from bench_replies b join campaigns c on c.id = b.campaign_id
    where c.follow_up_body is not null and not b.stop`;
  await sql`
    insert into messages (contact_id, phone, kind, status, body, provider_message_id, attempts,
      created_at, updated_at, sent_at, delivered_at, read_at)
    select contact_id, phone, 'manual', 'read',
      'Hello! The nearest store is on Main Street, open until 8 pm.', 'true_benchm' || id, 1,
      replied_at + interval '8 minutes', replied_at + interval '9 minutes',
      replied_at + interval '8 minutes', replied_at + interval '481 seconds',
      replied_at + interval '9 minutes'
    from bench_replies where id % 6 = 1 and not stop`;
  await sql`
    insert into conversations (phone, contact_id, last_inbound_at, window_expires_at,
      campaign_id, run_id, updated_at)
    select distinct on (i.phone) i.phone, i.contact_id, i.sent_at,
      i.sent_at + interval '24 hours', i.campaign_id, b.run_id, i.sent_at
    from inbound_messages i join bench_replies b on b.id = i.attributed_message_id
    order by i.phone, i.sent_at desc, i.id desc`;
  // every reply went to the default number: its window is the conversation's
  await sql`
    insert into conversation_windows (phone, sender_id, last_inbound_at, window_expires_at)
    select phone, default_sender_id(), last_inbound_at, window_expires_at from conversations`;
  await sql`
    insert into opt_outs (phone, contact_id, source, campaign_id, run_id, opted_out_at)
    select distinct on (phone) phone, contact_id, 'keyword', campaign_id, run_id, replied_at
    from bench_replies where stop
    order by phone, replied_at
    on conflict (phone) do nothing`;
}

/** The messages of the planned runs and what their replies brought. */
export async function seedMessages(sql: postgres.Sql, contacts: number): Promise<void> {
  await seedTemplateMessages(sql, contacts);
  await seedReplies(sql);
}

/** A few hundred lines of audit trail by the admins: sign-ins and changes to the seed. */
export async function seedAudit(sql: postgres.Sql): Promise<void> {
  await sql`
    insert into audit_events (at, actor_kind, user_id, email, action, target_type, target_id)
    select now() - i * interval '97 minutes', 'user', u.id, u.email, a.action,
      split_part(a.action, '.', 1),
      case split_part(a.action, '.', 1)
        when 'campaign' then (select id::text from bench_campaigns where k = 1 + i % 50)
        when 'list' then (select id::text from bench_lists where n = 1 + i % 5)
        when 'user' then u.id::text end
    from generate_series(1, 400) i
    cross join lateral (select (array['user.sign_in', 'campaign.create', 'campaign.start',
      'campaign.pause', 'campaign.resume', 'campaign.cancel', 'list.create', 'import.create',
      'template.create', 'opt_out.create', 'campaign.update', 'user.sign_out'])[1 + i % 12]
      as action) a
    cross join lateral (select id, email from users where role = 'admin'
      order by created_at limit 1) u`;
}
