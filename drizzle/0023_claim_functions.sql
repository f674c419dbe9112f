-- A frequency cap's count for one phone (docs/design.md, rule 35), as a claim checks it: the
-- templates of `categories` sent to `phone` in the last `days` days and not failed since, the
-- row `self` apart (an operator's retry of it), plus those being sent now (claimed, no answer
-- yet). VOLATILE and in PL/pgSQL so that it is never inlined and counts in a snapshot of its
-- own, taken when it is called: a claim calls it for a row after taking that row's phone lock,
-- so it sees every claim that held the lock before and committed, in the claim's one statement
-- (the statement's own snapshot is older than its locks). A phone has few template sends:
-- messages_phone_sent_idx and messages_phone_sending_idx.
CREATE FUNCTION frequency_cap_count(phone text, self bigint, categories template_category[], days int)
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN (
    select count(*) from (
      select s.run_id from messages s
      where s.phone = frequency_cap_count.phone and s.kind = 'template'
        and s.sent_at > now() - make_interval(days => frequency_cap_count.days) and s.id <> self
        and s.status in ('sent', 'delivered', 'read')
      union all
      select s.run_id from messages s
      where s.phone = frequency_cap_count.phone and s.kind = 'template'
        and s.status = 'sending' and s.sent_at is null
    ) s
      join runs sr on sr.id = s.run_id
      join campaigns sc on sc.id = sr.campaign_id
      join templates st on st.id = coalesce(sr.template_id, sc.template_id)
    where coalesce(st.category, 'marketing') = any(categories));
END
$$;
--> statement-breakpoint
-- next_send_opening looks two weeks ahead instead of one: a window on a single weekday that a
-- clock change removes that day (02:30-03:00 on the night 02:00 becomes 03:00) had no opening
-- within the week, and a claim read that as past the deadline, even with none set. Null now
-- means only that no window opens within two weeks, which a non-empty `days` cannot do.
CREATE OR REPLACE FUNCTION next_send_opening(zone text, after timestamptz, from_t time, to_t time, days_mask int)
RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
  -- greatest() ignores a null: no window must stay null
  select case when min(opens_at) is not null then greatest(after, min(opens_at)) end
  from send_windows(zone, after, from_t, to_t, days_mask, 14)
$$;
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "window_change_at" timestamp with time zone;
