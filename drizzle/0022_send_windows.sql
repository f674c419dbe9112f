CREATE TYPE "public"."send_window_mode" AS ENUM('default', 'off', 'own');--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "schedule_local_at" timestamp;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "send_window_mode" "send_window_mode" DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "send_window_from" time;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "send_window_to" time;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "send_window_days" smallint;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "send_window_deadline_hours" smallint;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "waiting_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "time_zone" varchar(64);--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_send_window" CHECK (case when "campaigns"."send_window_mode" = 'own'
        then "campaigns"."send_window_from" is not null and "campaigns"."send_window_to" is not null
          and "campaigns"."send_window_from" <> "campaigns"."send_window_to" and "campaigns"."send_window_days" between 1 and 127
          and ("campaigns"."send_window_deadline_hours" is null or "campaigns"."send_window_deadline_hours" between 1 and 720)
        else "campaigns"."send_window_from" is null and "campaigns"."send_window_to" is null
          and "campaigns"."send_window_days" is null and "campaigns"."send_window_deadline_hours" is null end);--> statement-breakpoint
-- A send window's openings in a zone (docs/design.md, rule 37): for each local day from the one
-- before `after` to `horizon_days` after it whose ISO weekday is in `days_mask` (bit 0 Monday),
-- the window from `from_t` to `to_t` local, ending the next day when `to_t` is not after
-- `from_t` (22:00-06:00). Local times become instants by PostgreSQL's own zone rules, so a
-- change of clocks inside a window makes it an hour longer or shorter, and a time skipped by
-- the change is read as PostgreSQL reads it (an hour later). Only windows not closed by
-- `after` are answered.
CREATE FUNCTION send_windows(zone text, after timestamptz, from_t time, to_t time, days_mask int, horizon_days int)
RETURNS TABLE (opens_at timestamptz, closes_at timestamptz) LANGUAGE sql STABLE PARALLEL SAFE AS $$
  select w.opens_at, w.closes_at from (
    select (d + from_t) at time zone zone as opens_at,
      (d + case when to_t > from_t then 0 else 1 end + to_t) at time zone zone as closes_at
    from generate_series(0, horizon_days + 1) as g(i),
      lateral (select ((after at time zone zone)::date - 1 + g.i) as d) day
    where days_mask & (1 << (extract(isodow from d)::int - 1)) <> 0
  ) w
  -- a window whose ends a clock change swapped (02:30 to 03:00 on the night 02:00 becomes 03:00)
  -- does not exist that day
  where w.closes_at > after and w.closes_at > w.opens_at
$$;--> statement-breakpoint
-- The first moment at or after `after` inside the window in the zone: `after` itself while a
-- window is open; null when none opens within eight days (no day in the mask).
CREATE FUNCTION next_send_opening(zone text, after timestamptz, from_t time, to_t time, days_mask int)
RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
  -- greatest() ignores a null: no window must stay null
  select case when min(opens_at) is not null then greatest(after, min(opens_at)) end
  from send_windows(zone, after, from_t, to_t, days_mask, 7)
$$;
