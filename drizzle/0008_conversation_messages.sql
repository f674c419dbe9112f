CREATE INDEX IF NOT EXISTS "messages_phone_direct_idx" ON "messages" USING btree ("phone") WHERE "messages"."kind" <> 'template';--> statement-breakpoint
CREATE VIEW "public"."conversation_messages" AS (
  select i.phone, i.contact_id, 'chat-' || i.id as id,
    case when i.from_me then 'out' else 'in' end as direction,
    case when i.from_me then 'manual' else 'inbound' end as kind,
    i.body as text, null::text as template_name, null::text[] as parameters, null::text as status,
    null::text as error, i.sent_at as at, i.campaign_id, null::bigint as message_id
  from inbound_messages i
  where not i.from_me
    or not exists (select 1 from messages e where e.provider_message_id = i.provider_message_id)
  union all
  select m.phone, m.contact_id, m.id::text, 'out', 'template', null, t.name, m.params,
    m.status::text, m.error, m.sent_at, m.campaign_id, m.id
  from messages m
  left join runs r on r.id = m.run_id
  left join campaigns c on c.id = m.campaign_id
  left join templates t on t.id = coalesce(r.template_id, c.template_id)
  where m.kind = 'template' and m.sent_at is not null
  union all
  select m.phone, m.contact_id, m.id::text, 'out', m.kind::text, m.body, null, null,
    m.status::text, m.error, coalesce(m.sent_at, m.created_at), m.campaign_id, m.id
  from messages m
  where m.kind <> 'template');