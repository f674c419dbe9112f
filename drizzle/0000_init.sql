CREATE TYPE "public"."campaign_status" AS ENUM('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."language_policy" AS ENUM('deterministic', 'fallback');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('running', 'paused', 'completed', 'cancelled', 'missed');--> statement-breakpoint
CREATE TYPE "public"."template_category" AS ENUM('marketing', 'utility', 'authentication');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('queued', 'running', 'completed', 'failed');--> statement-breakpoint
CREATE TYPE "public"."opt_out_source" AS ENUM('keyword', 'api');--> statement-breakpoint
CREATE TYPE "public"."message_kind" AS ENUM('template', 'followup', 'manual');--> statement-breakpoint
CREATE TYPE "public"."message_status" AS ENUM('pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped', 'unknown', 'expired');--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"status" "campaign_status" DEFAULT 'draft' NOT NULL,
	"template_id" uuid NOT NULL,
	"list_ids" uuid[] NOT NULL,
	"schedule_at" timestamp with time zone,
	"schedule_cron" text,
	"schedule_timezone" text,
	"rate_per_second" double precision,
	"follow_up_body" text,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"paused_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"status" "run_status" DEFAULT 'running' NOT NULL,
	"audience" integer DEFAULT 0 NOT NULL,
	"snapshot_cursor" uuid,
	"snapshot_done_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "runs_campaign_slot_uq" UNIQUE("campaign_id","scheduled_for")
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"namespace" text NOT NULL,
	"language_code" text NOT NULL,
	"language_policy" "language_policy" DEFAULT 'deterministic' NOT NULL,
	"category" "template_category",
	"parameters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by_import_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_phone_unique" UNIQUE("phone")
);
--> statement-breakpoint
CREATE TABLE "import_uploads" (
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "import_uploads_import_id_seq_pk" PRIMARY KEY("import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"list_id" uuid NOT NULL,
	"status" "import_status" DEFAULT 'queued' NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"invalid" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"failure" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "list_members" (
	"list_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "list_members_list_id_contact_id_pk" PRIMARY KEY("list_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opt_outs" (
	"phone" text PRIMARY KEY NOT NULL,
	"contact_id" uuid,
	"source" "opt_out_source" NOT NULL,
	"campaign_id" uuid,
	"opted_out_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dispatch_leases" (
	"key" text PRIMARY KEY NOT NULL,
	"holder" uuid NOT NULL,
	"worker_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" uuid,
	"campaign_id" uuid,
	"contact_id" uuid,
	"phone" text NOT NULL,
	"kind" "message_kind" DEFAULT 'template' NOT NULL,
	"status" "message_status" DEFAULT 'pending' NOT NULL,
	"body" text,
	"params" text[],
	"provider_message_id" text,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sending_at" timestamp with time zone,
	"sending_by" uuid,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rate_buckets" (
	"key" text PRIMARY KEY NOT NULL,
	"rate_per_second" double precision NOT NULL,
	"burst" double precision NOT NULL,
	"tat" timestamp with time zone DEFAULT now() NOT NULL,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "workers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"phone" text PRIMARY KEY NOT NULL,
	"contact_id" uuid,
	"last_inbound_at" timestamp with time zone NOT NULL,
	"window_expires_at" timestamp with time zone NOT NULL,
	"campaign_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inbound_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider_message_id" text NOT NULL,
	"phone" text NOT NULL,
	"contact_id" uuid,
	"from_me" boolean NOT NULL,
	"type" text NOT NULL,
	"body" text,
	"sent_at" timestamp with time zone NOT NULL,
	"quoted_message_id" text,
	"attributed_message_id" bigint,
	"campaign_id" uuid,
	"is_opt_out" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_messages_provider_message_id_unique" UNIQUE("provider_message_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"body" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_uploads" ADD CONSTRAINT "import_uploads_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_list_id_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opt_outs" ADD CONSTRAINT "opt_outs_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opt_outs" ADD CONSTRAINT "opt_outs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_attributed_message_id_messages_id_fk" FOREIGN KEY ("attributed_message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaigns_due_idx" ON "campaigns" USING btree ("next_run_at") WHERE "campaigns"."status" = 'scheduled';--> statement-breakpoint
CREATE INDEX "campaigns_created_idx" ON "campaigns" USING btree ("created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "runs_active_idx" ON "runs" USING btree ("status") WHERE "runs"."status" in ('running', 'paused');--> statement-breakpoint
CREATE INDEX "imports_list_idx" ON "imports" USING btree ("list_id");--> statement-breakpoint
CREATE INDEX "opt_outs_opted_out_at_idx" ON "opt_outs" USING btree ("opted_out_at" DESC NULLS LAST,"phone");--> statement-breakpoint
CREATE INDEX "opt_outs_campaign_idx" ON "opt_outs" USING btree ("campaign_id") WHERE "opt_outs"."campaign_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_run_contact_kind_uq" ON "messages" USING btree ("run_id","contact_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_provider_id_uq" ON "messages" USING btree ("provider_message_id") WHERE "messages"."provider_message_id" is not null;--> statement-breakpoint
CREATE INDEX "messages_pending_idx" ON "messages" USING btree ("run_id","id") WHERE "messages"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "messages_pending_direct_idx" ON "messages" USING btree ("id") WHERE "messages"."status" = 'pending' and "messages"."kind" <> 'template';--> statement-breakpoint
CREATE INDEX "messages_campaign_idx" ON "messages" USING btree ("campaign_id","run_id","status","id");--> statement-breakpoint
CREATE INDEX "messages_phone_sent_idx" ON "messages" USING btree ("phone","sent_at" DESC NULLS LAST) WHERE "messages"."kind" = 'template' and "messages"."sent_at" is not null;--> statement-breakpoint
CREATE INDEX "messages_sending_idx" ON "messages" USING btree ("sending_at") WHERE "messages"."status" = 'sending';--> statement-breakpoint
CREATE INDEX "messages_sent_at_idx" ON "messages" USING btree ("sent_at") WHERE "messages"."sent_at" is not null;--> statement-breakpoint
CREATE INDEX "conversations_window_idx" ON "conversations" USING btree ("window_expires_at");--> statement-breakpoint
CREATE INDEX "inbound_messages_phone_idx" ON "inbound_messages" USING btree ("phone","sent_at");--> statement-breakpoint
CREATE INDEX "inbound_messages_campaign_idx" ON "inbound_messages" USING btree ("campaign_id") WHERE "inbound_messages"."campaign_id" is not null;--> statement-breakpoint
CREATE INDEX "webhook_events_unprocessed_idx" ON "webhook_events" USING btree ("id") WHERE "webhook_events"."processed_at" is null;--> statement-breakpoint
CREATE VIEW "public"."message_facts" AS (
  select m.id as message_id, m.campaign_id, c.name as campaign_name, m.run_id,
    r.scheduled_for as run_scheduled_for, m.contact_id, m.phone, m.kind::text as kind,
    m.status::text as status, m.error, m.attempts, m.created_at, m.sent_at, m.delivered_at,
    m.read_at, m.replied_at, m.failed_at
  from messages m
  left join campaigns c on c.id = m.campaign_id
  left join runs r on r.id = m.run_id);--> statement-breakpoint
CREATE VIEW "public"."run_stats" AS (
  with f as (
    select r.campaign_id, r.id as run_id, r.scheduled_for, 
  count(*) filter (where m.kind = 'template')::int as audience,
  count(*) filter (where m.kind = 'template' and m.status in ('pending', 'sending'))::int as pending,
  count(*) filter (where m.kind = 'template' and m.status in ('sent', 'delivered', 'read'))::int as sent,
  count(*) filter (where m.kind = 'template' and m.status in ('delivered', 'read'))::int as delivered,
  count(*) filter (where m.kind = 'template' and m.status = 'read')::int as read,
  count(*) filter (where m.kind = 'template' and m.status = 'failed')::int as failed,
  count(*) filter (where m.kind = 'template' and m.status = 'skipped')::int as skipped,
  count(*) filter (where m.kind = 'template' and m.status = 'unknown')::int as unknown,
  count(distinct m.phone) filter (where m.kind = 'template' and m.replied_at is not null)::int as replied,
  count(*) filter (where m.kind = 'followup' and m.status in ('sent', 'delivered', 'read'))::int as follow_ups_sent
    from runs r
    left join messages m on m.campaign_id = r.campaign_id and m.run_id = r.id
    group by r.id
  )
  select f.campaign_id, f.run_id, f.scheduled_for, f.audience, f.pending, f.sent, f.delivered,
    f.read, f.failed, f.skipped, f.unknown, f.replied,
    (select count(*) from opt_outs o
      where o.source = 'keyword' and o.campaign_id = f.campaign_id
        and exists (select 1 from messages x
                    where x.run_id = f.run_id and x.kind = 'template' and x.phone = o.phone))::int
      as opted_out,
    f.follow_ups_sent,
    (select count(*) from conversations v
      where v.campaign_id = f.campaign_id and v.window_expires_at > now()
        and exists (select 1 from messages x
                    where x.run_id = f.run_id and x.kind = 'template' and x.phone = v.phone))::int
      as windows_open,
    (case when f.sent = 0 then 0 else f.delivered::float8 / f.sent end) as delivery_rate,
    (case when f.sent = 0 then 0 else f.read::float8 / f.sent end) as read_rate,
    (case when f.sent = 0 then 0 else f.replied::float8 / f.sent end) as reply_rate
  from f);