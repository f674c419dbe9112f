ALTER TABLE "runs" ADD COLUMN "template_id" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "list_ids" uuid[];--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Runs in progress keep the template and lists they have now; older runs keep null (the
-- campaign's count, as before).
UPDATE "runs" r SET "template_id" = c."template_id", "list_ids" = c."list_ids"
FROM "campaigns" c WHERE c."id" = r."campaign_id" AND r."status" IN ('running', 'paused');
