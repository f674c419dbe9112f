ALTER TABLE "imports" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "restarted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "imports_running_lease_idx" ON "imports" USING btree ("lease_expires_at") WHERE "imports"."status" = 'running';--> statement-breakpoint
-- An import running under the version before has no lease: give it the hour its job's expiry
-- gave it then, so that no worker of this version takes it from a process still at work on it.
UPDATE "imports" SET "attempts" = 1, "lease_expires_at" = now() + interval '1 hour' WHERE "status" = 'running';
