CREATE TABLE "event_counts" (
	"bucket" timestamp with time zone NOT NULL,
	"event" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"n" bigint NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX "event_counts_bucket_idx" ON "event_counts" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "event_counts_unfolded_idx" ON "event_counts" USING btree ("bucket") WHERE not "event_counts"."folded";--> statement-breakpoint
-- Template messages' events per quarter hour (docs/decisions.md, Statistics: the overview from
-- counters), kept like message_counts by statement-level triggers on messages: each statement's
-- old rows count -1 and new rows +1 at every timestamp they hold, grouped per (quarter hour,
-- event, reason), and only sums that are not 0 are written. An ack that moves delivered_at from
-- null writes one +1; a claim or a snapshot batch (no timestamp yet) writes nothing.
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
      'FOR EACH STATEMENT EXECUTE FUNCTION count_%s_%ss()', tbl || '_' || name, event, event, tbl,
      CASE event
        WHEN 'insert' THEN 'NEW TABLE AS new_rows'
        WHEN 'delete' THEN 'OLD TABLE AS old_rows'
        ELSE 'OLD TABLE AS old_rows NEW TABLE AS new_rows'
      END, name, event);
  END LOOP;
END
$fn$;
--> statement-breakpoint
SELECT pg_temp.create_count_triggers('messages', 'event',
  'kind, sent_at, delivered_at, read_at, replied_at, failed_at, error', $body$
BEGIN
  insert into event_counts (bucket, event, reason, n)
  select date_bin('15 minutes', e.at, timestamptz '2000-01-01 00:00:00+00'), e.event, e.reason,
    sum(c.sign)
  from (select * from (%s) s
        where s.kind = 'template'
          and coalesce(s.sent_at, s.delivered_at, s.read_at, s.replied_at, s.failed_at) is not null) c
  cross join lateral (values (c.sent_at, 'sent', ''), (c.delivered_at, 'delivered', ''),
    (c.read_at, 'read', ''), (c.replied_at, 'replied', ''),
    (c.failed_at, 'failed', coalesce(left(c.error, 200), ''))) as e(at, event, reason)
  where e.at is not null
  group by 1, 2, 3
  having sum(c.sign) <> 0;
  RETURN NULL;
END
$body$);
--> statement-breakpoint
DROP FUNCTION pg_temp.create_count_triggers(text, text, text, text);
--> statement-breakpoint
-- Backfill, in the migration's transaction: CREATE TRIGGER above holds a lock on messages that
-- keeps writers out until the commit, so existing rows are counted once.
INSERT INTO event_counts (bucket, event, reason, n, folded)
SELECT date_bin('15 minutes', e.at, timestamptz '2000-01-01 00:00:00+00'), e.event, e.reason,
  count(*), true
FROM messages m
CROSS JOIN LATERAL (VALUES (m.sent_at, 'sent', ''), (m.delivered_at, 'delivered', ''),
  (m.read_at, 'read', ''), (m.replied_at, 'replied', ''),
  (m.failed_at, 'failed', coalesce(left(m.error, 200), ''))) AS e(at, event, reason)
WHERE m.kind = 'template' AND e.at IS NOT NULL
GROUP BY 1, 2, 3;
