CREATE TABLE "message_counts" (
	"campaign_id" uuid NOT NULL,
	"run_id" uuid,
	"kind" "message_kind" NOT NULL,
	"status" "message_status" NOT NULL,
	"n" bigint NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replied_phones" (
	"campaign_id" uuid NOT NULL,
	"run_id" uuid,
	"phone" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "replied_phones_key" UNIQUE NULLS NOT DISTINCT("campaign_id","run_id","phone")
);
--> statement-breakpoint
CREATE TABLE "reply_counts" (
	"campaign_id" uuid NOT NULL,
	"run_id" uuid,
	"n" bigint NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "window_counts" (
	"campaign_id" uuid NOT NULL,
	"run_id" uuid,
	"expires_hour" timestamp with time zone NOT NULL,
	"n" bigint NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
DROP VIEW "public"."run_stats";--> statement-breakpoint
ALTER TABLE "opt_outs" ADD COLUMN "run_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "run_id" uuid;--> statement-breakpoint
CREATE INDEX "message_counts_campaign_idx" ON "message_counts" USING btree ("campaign_id","run_id");--> statement-breakpoint
CREATE INDEX "message_counts_unfolded_idx" ON "message_counts" USING btree ("campaign_id") WHERE not "message_counts"."folded";--> statement-breakpoint
CREATE INDEX "reply_counts_campaign_idx" ON "reply_counts" USING btree ("campaign_id","run_id");--> statement-breakpoint
CREATE INDEX "reply_counts_unfolded_idx" ON "reply_counts" USING btree ("campaign_id") WHERE not "reply_counts"."folded";--> statement-breakpoint
CREATE INDEX "window_counts_campaign_idx" ON "window_counts" USING btree ("campaign_id","run_id");--> statement-breakpoint
CREATE INDEX "window_counts_unfolded_idx" ON "window_counts" USING btree ("campaign_id") WHERE not "window_counts"."folded";--> statement-breakpoint
CREATE INDEX "opt_outs_run_idx" ON "opt_outs" USING btree ("run_id") WHERE "opt_outs"."run_id" is not null;--> statement-breakpoint
CREATE INDEX "conversations_campaign_window_idx" ON "conversations" USING btree ("campaign_id","window_expires_at") WHERE "conversations"."campaign_id" is not null;--> statement-breakpoint
CREATE INDEX "conversations_run_window_idx" ON "conversations" USING btree ("run_id","window_expires_at") WHERE "conversations"."run_id" is not null;--> statement-breakpoint
CREATE VIEW "public"."campaign_stats" AS (
  select s.*,
    (case when s.sent = 0 then 0 else s.delivered::float8 / s.sent end) as delivery_rate,
    (case when s.sent = 0 then 0 else s.read::float8 / s.sent end) as read_rate,
    (case when s.sent = 0 then 0 else s.replied::float8 / s.sent end) as reply_rate
  from (
    select k.id as campaign_id, k.name, f.audience, f.pending, f.sent, f.delivered, f.read, f.failed, f.skipped,
      f.unknown,
      (select coalesce(sum(x.n), 0) from reply_counts x
        where x.campaign_id = k.id and x.run_id is null)::int as replied,
      (select count(*) from opt_outs o where o.campaign_id = k.id and o.source = 'keyword')::int
        as opted_out,
      f.follow_ups_sent,
      ((select coalesce(sum(w.n), 0) from window_counts w
         where w.campaign_id = k.id
           and w.expires_hour > date_trunc('hour', now(), 'UTC'))
       + (select count(*) from conversations v
         where v.campaign_id = k.id and v.window_expires_at > now()
           and v.window_expires_at < date_trunc('hour', now(), 'UTC') + interval '1 hour'))::int as windows_open
    from campaigns k
    cross join lateral (
      select coalesce(sum(c.n) filter (where c.kind = 'template'), 0)::int as audience,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('pending', 'sending')), 0)::int as pending,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('sent', 'delivered', 'read')), 0)::int as sent,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('delivered', 'read')), 0)::int as delivered,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('read')), 0)::int as read,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('failed')), 0)::int as failed,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('skipped')), 0)::int as skipped,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('unknown')), 0)::int as unknown,
  coalesce(sum(c.n) filter (where c.kind = 'followup' and c.status in ('sent', 'delivered', 'read')), 0)::int as follow_ups_sent from message_counts c
      where c.campaign_id = k.id) f
  ) s);--> statement-breakpoint
CREATE VIEW "public"."run_stats" AS (
  select s.*,
    (case when s.sent = 0 then 0 else s.delivered::float8 / s.sent end) as delivery_rate,
    (case when s.sent = 0 then 0 else s.read::float8 / s.sent end) as read_rate,
    (case when s.sent = 0 then 0 else s.replied::float8 / s.sent end) as reply_rate
  from (
    select r.campaign_id, r.id as run_id, r.scheduled_for, f.audience, f.pending, f.sent, f.delivered, f.read, f.failed, f.skipped,
      f.unknown,
      (select coalesce(sum(x.n), 0) from reply_counts x
        where x.campaign_id = r.campaign_id and x.run_id = r.id)::int as replied,
      (select count(*) from opt_outs o where o.run_id = r.id and o.source = 'keyword')::int
        as opted_out,
      f.follow_ups_sent,
      ((select coalesce(sum(w.n), 0) from window_counts w
         where w.campaign_id = r.campaign_id and w.run_id = r.id
           and w.expires_hour > date_trunc('hour', now(), 'UTC'))
       + (select count(*) from conversations v
         where v.run_id = r.id and v.window_expires_at > now()
           and v.window_expires_at < date_trunc('hour', now(), 'UTC') + interval '1 hour'))::int as windows_open
    from runs r
    cross join lateral (
      select coalesce(sum(c.n) filter (where c.kind = 'template'), 0)::int as audience,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('pending', 'sending')), 0)::int as pending,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('sent', 'delivered', 'read')), 0)::int as sent,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('delivered', 'read')), 0)::int as delivered,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('read')), 0)::int as read,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('failed')), 0)::int as failed,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('skipped')), 0)::int as skipped,
  coalesce(sum(c.n) filter (where c.kind = 'template' and c.status in ('unknown')), 0)::int as unknown,
  coalesce(sum(c.n) filter (where c.kind = 'followup' and c.status in ('sent', 'delivered', 'read')), 0)::int as follow_ups_sent from message_counts c
      where c.campaign_id = r.campaign_id and c.run_id = r.id) f
  ) s);