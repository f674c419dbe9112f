-- Uploads are kept as text (see importUploads in src/db/schema/contacts.ts). A queued import's
-- bytes were checked to be UTF-8 when they arrived, but a chunk may end inside a character:
-- each upload is joined whole, converted, and kept as one chunk (the job reads any size).
CREATE TEMPORARY TABLE "import_uploads_text" AS
  SELECT "import_id", convert_from(string_agg("data", ''::bytea ORDER BY "seq"), 'UTF8') AS "data"
  FROM "import_uploads" GROUP BY "import_id";--> statement-breakpoint
DELETE FROM "import_uploads";--> statement-breakpoint
ALTER TABLE "import_uploads" ALTER COLUMN "data" SET DATA TYPE text USING '';--> statement-breakpoint
INSERT INTO "import_uploads" ("import_id", "seq", "data") SELECT "import_id", 0, "data" FROM "import_uploads_text";--> statement-breakpoint
DROP TABLE "import_uploads_text";--> statement-breakpoint
ALTER TABLE "import_uploads" ALTER COLUMN "data" SET STORAGE EXTERNAL;
