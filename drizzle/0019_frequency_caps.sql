CREATE TYPE "public"."frequency_cap_mode" AS ENUM('default', 'off', 'own');--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "frequency_cap_mode" "frequency_cap_mode" DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "frequency_cap_max" smallint;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "frequency_cap_days" smallint;--> statement-breakpoint
CREATE INDEX "messages_phone_sending_idx" ON "messages" USING btree ("phone") WHERE "messages"."kind" = 'template' and "messages"."status" = 'sending';--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_frequency_cap" CHECK (case when "campaigns"."frequency_cap_mode" = 'own'
        then "campaigns"."frequency_cap_max" between 1 and 100 and "campaigns"."frequency_cap_days" between 1 and 365
        else "campaigns"."frequency_cap_max" is null and "campaigns"."frequency_cap_days" is null end);