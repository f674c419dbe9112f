-- The run of existing attributed windows and keyword opt-outs: the run of the message their
-- latest (for an opt-out, first: it is never replaced) attributed reply of that campaign points at.
-- Before the triggers exist: the window counts are backfilled below with these runs.
UPDATE conversations v SET run_id = (
  SELECT m.run_id FROM inbound_messages i JOIN messages m ON m.id = i.attributed_message_id
  WHERE i.phone = v.phone AND i.campaign_id = v.campaign_id
  ORDER BY i.sent_at DESC, i.id DESC LIMIT 1)
WHERE v.campaign_id IS NOT NULL;
--> statement-breakpoint
UPDATE opt_outs o SET run_id = (
  SELECT m.run_id FROM inbound_messages i JOIN messages m ON m.id = i.attributed_message_id
  WHERE i.phone = o.phone AND i.campaign_id = o.campaign_id AND i.is_opt_out
  ORDER BY i.id LIMIT 1)
WHERE o.source = 'keyword' AND o.campaign_id IS NOT NULL;
--> statement-breakpoint
-- Counters of message rows for the stats (docs/decisions.md, Statistics): kept by statement-level
-- triggers in the same transaction as every insert, update and delete of `messages`.
--
-- One statement of messages (a 10,000-row snapshot batch, a claim, a batch of outcomes or acks, a
-- reply) becomes a handful of rows here: its transition tables are grouped per key, old rows
-- count -1 and new rows +1, and only keys whose sum is not 0 are written (an update that moves
-- no row across a key, such as an ack that changes nothing, writes nothing). Counts are
-- appended, never updated, so concurrent writers do not wait on one another. `replied` is
-- distinct phones: replied_phones counts the replied template rows of each (campaign, run,
-- phone) and (campaign, phone) (run_id null), and reply_counts gets +1 / -1 when one of those
-- leaves / returns to 0; the upsert's row lock orders two transactions touching the same phone.
--
-- A transition table cannot belong to a trigger of more than one event, so each event has its
-- trigger and its function. The three functions are one body with the event's rows as its
-- source, made by this helper rather than written three times; each holds static SQL, whose
-- plan plpgsql caches (an EXECUTE of the same text planned it again at every statement: ~2 ms).
CREATE FUNCTION pg_temp.create_count_triggers(tbl text, name text, columns text, body text)
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  event text;
BEGIN
  FOREACH event IN ARRAY array['insert', 'update', 'delete'] LOOP
    EXECUTE format('CREATE FUNCTION count_%s_%ss() RETURNS trigger LANGUAGE plpgsql AS %L',
      name, event, format(body, CASE event
        WHEN 'insert' THEN format('select 1 as sign, %s from new_rows', columns)
        WHEN 'delete' THEN format('select -1 as sign, %s from old_rows', columns)
        ELSE format('select -1 as sign, %1$s from old_rows union all select 1, %1$s from new_rows',
          columns)
      END));
    EXECUTE format('CREATE TRIGGER %s_count_%ss AFTER %s ON %I REFERENCING %s '
      'FOR EACH STATEMENT EXECUTE FUNCTION count_%s_%ss()', tbl, event, event, tbl, CASE event
        WHEN 'insert' THEN 'NEW TABLE AS new_rows'
        WHEN 'delete' THEN 'OLD TABLE AS old_rows'
        ELSE 'OLD TABLE AS old_rows NEW TABLE AS new_rows'
      END, name, event);
  END LOOP;
END
$fn$;
--> statement-breakpoint
SELECT pg_temp.create_count_triggers('messages', 'message', 'campaign_id, run_id, kind, status, phone, replied_at', $body$
BEGIN
  insert into message_counts (campaign_id, run_id, kind, status, n)
  select campaign_id, run_id, kind, status, sum(sign) from (%1$s) c
  where campaign_id is not null
  group by campaign_id, run_id, kind, status
  having sum(sign) <> 0;
  -- most statements (snapshot batches, claims, outcomes) touch no replied row: one cheap scan
  IF NOT EXISTS (select from (%1$s) c
                 where campaign_id is not null and kind = 'template' and replied_at is not null)
  THEN
    RETURN NULL;
  END IF;
  with replies as (
    select campaign_id, run_id, phone, sum(sign)::int as d from (%1$s) c
    where campaign_id is not null and kind = 'template' and replied_at is not null
    group by campaign_id, run_id, phone
  ),
  keys as (
    select campaign_id, run_id, phone, d from replies where run_id is not null and d <> 0
    union all
    select campaign_id, null, phone, sum(d)::int from replies
    group by campaign_id, phone having sum(d) <> 0
  ),
  moved as (
    insert into replied_phones as p (campaign_id, run_id, phone, n)
    select campaign_id, run_id, phone, d from keys
    -- one lock order for every writer: no deadlock between two multi-phone statements
    order by campaign_id, run_id nulls first, phone
    on conflict (campaign_id, run_id, phone) do update set n = p.n + excluded.n
    returning p.campaign_id, p.run_id, p.phone, p.n
  )
  insert into reply_counts (campaign_id, run_id, n)
  select m.campaign_id, m.run_id, sum((m.n > 0)::int - (m.n - k.d > 0)::int)
  from moved m
  join keys k on k.campaign_id = m.campaign_id and k.run_id is not distinct from m.run_id
    and k.phone = m.phone
  group by m.campaign_id, m.run_id
  having sum((m.n > 0)::int - (m.n - k.d > 0)::int) <> 0;
  RETURN NULL;
END
$body$);
--> statement-breakpoint
-- Attributed windows per (campaign, run, UTC hour of expiry), kept like message_counts by
-- triggers on conversations: windowsOpen = the hours after the current one + an exact count of
-- the current hour's windows still open (see the campaign_stats view).
SELECT pg_temp.create_count_triggers('conversations', 'window',
  'campaign_id, run_id, date_trunc(''hour'', window_expires_at, ''UTC'') as hour', $body$
BEGIN
  insert into window_counts (campaign_id, run_id, expires_hour, n)
  select campaign_id, run_id, hour, sum(sign) from (%s) c
  where campaign_id is not null
  group by campaign_id, run_id, hour
  having sum(sign) <> 0;
  RETURN NULL;
END
$body$);
--> statement-breakpoint
DROP FUNCTION pg_temp.create_count_triggers(text, text, text, text);
--> statement-breakpoint
-- Backfill, in the migration's transaction: CREATE TRIGGER above holds a lock on messages and
-- conversations that keeps writers out until the commit, so existing rows are counted once.
INSERT INTO message_counts (campaign_id, run_id, kind, status, n, folded)
SELECT campaign_id, run_id, kind, status, count(*), true FROM messages
WHERE campaign_id IS NOT NULL
GROUP BY campaign_id, run_id, kind, status;
--> statement-breakpoint
INSERT INTO replied_phones (campaign_id, run_id, phone, n)
SELECT campaign_id, run_id, phone, count(*) FROM messages
WHERE campaign_id IS NOT NULL AND run_id IS NOT NULL AND kind = 'template' AND replied_at IS NOT NULL
GROUP BY campaign_id, run_id, phone
UNION ALL
SELECT campaign_id, NULL, phone, count(*) FROM messages
WHERE campaign_id IS NOT NULL AND kind = 'template' AND replied_at IS NOT NULL
GROUP BY campaign_id, phone;
--> statement-breakpoint
INSERT INTO reply_counts (campaign_id, run_id, n, folded)
SELECT campaign_id, run_id, count(*), true FROM replied_phones GROUP BY campaign_id, run_id;
--> statement-breakpoint
INSERT INTO window_counts (campaign_id, run_id, expires_hour, n, folded)
SELECT campaign_id, run_id, date_trunc('hour', window_expires_at, 'UTC'), count(*), true
FROM conversations WHERE campaign_id IS NOT NULL
GROUP BY 1, 2, 3;
