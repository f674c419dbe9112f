ALTER TYPE "public"."opt_out_source" ADD VALUE 'provider';--> statement-breakpoint
ALTER TYPE "public"."message_status" ADD VALUE 'held_out';--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "profile_name" varchar(256);--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "bsuid" varchar(128);--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "source" text DEFAULT 'chat-api' NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "sender_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_bsuid_uq" ON "contacts" USING btree ("bsuid") WHERE "contacts"."bsuid" is not null;