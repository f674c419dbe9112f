CREATE TABLE "applied_settings" (
	"name" varchar(64) PRIMARY KEY NOT NULL,
	"value" varchar(1000) NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
