ALTER TABLE "runs" ADD COLUMN "local_at" timestamp;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "timezone" text;--> statement-breakpoint
-- Every run takes the placement its snapshot has used so far, a finished one too (an operator's
-- retry runs it again): the campaign's local time when its schedule opened the run, and its zone.
UPDATE "runs" SET
  "local_at" = CASE WHEN "runs"."scheduled_for" = "campaigns"."schedule_at" THEN "campaigns"."schedule_local_at" END,
  "timezone" = "campaigns"."schedule_timezone"
FROM "campaigns"
WHERE "campaigns"."id" = "runs"."campaign_id";
