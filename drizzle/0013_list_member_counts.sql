CREATE TABLE "list_member_counts" (
	"list_id" uuid NOT NULL,
	"n" bigint NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX "list_member_counts_list_idx" ON "list_member_counts" USING btree ("list_id");--> statement-breakpoint
CREATE INDEX "list_member_counts_unfolded_idx" ON "list_member_counts" USING btree ("list_id") WHERE not "list_member_counts"."folded";--> statement-breakpoint
-- Each statement on list_members appends one signed row per list it touched: +rows inserted,
-- -rows deleted (docs/decisions.md, Lists: sizes from counters). Memberships are never updated
-- (list and contact are their key), so no update trigger.
CREATE FUNCTION count_list_members_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  insert into list_member_counts (list_id, n)
  select list_id, count(*) from new_rows group by list_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION count_list_members_deletes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  insert into list_member_counts (list_id, n)
  select list_id, -count(*) from old_rows group by list_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER list_members_count_inserts AFTER INSERT ON list_members
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_list_members_inserts();
--> statement-breakpoint
CREATE TRIGGER list_members_count_deletes AFTER DELETE ON list_members
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_list_members_deletes();
--> statement-breakpoint
-- Backfill in the migration's transaction: CREATE TRIGGER's lock keeps writers out until the
-- commit, so every existing membership is counted once.
INSERT INTO list_member_counts (list_id, n, folded)
SELECT list_id, count(*), true FROM list_members GROUP BY list_id;
