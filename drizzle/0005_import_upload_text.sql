-- Uploads are kept as text (see importUploads in src/db/schema/contacts.ts). A queued import's
-- bytes were checked to be UTF-8 when they arrived, but a chunk may end inside a character:
-- each upload is joined whole, its BOM dropped (as the reader of bytes did), and converted into
-- its first chunk; its other chunks stay, empty. Byte-level work only: an embedded cluster
-- created before it asked for UTF-8 is SQL_ASCII, where text functions count bytes. The same
-- number of chunks: a worker of the version before, still importing during a rolling upgrade,
-- then fails on a chunk it cannot read (a string, not bytes) and the import is retried, rather
-- than finding its upload shorter and completing it.
CREATE TEMPORARY TABLE "import_uploads_text" AS
  SELECT "import_id", count(*)::int AS "chunks", string_agg("data", ''::bytea ORDER BY "seq") AS "data"
  FROM "import_uploads" GROUP BY "import_id";--> statement-breakpoint
UPDATE "import_uploads_text" SET "data" = substring("data" from 4)
  WHERE substring("data" from 1 for 3) = '\xefbbbf'::bytea;--> statement-breakpoint
DELETE FROM "import_uploads";--> statement-breakpoint
ALTER TABLE "import_uploads" ALTER COLUMN "data" SET DATA TYPE text USING '';--> statement-breakpoint
INSERT INTO "import_uploads" ("import_id", "seq", "data")
  SELECT t."import_id", s."seq", CASE WHEN s."seq" = 0 THEN convert_from(t."data", 'UTF8') ELSE '' END
  FROM "import_uploads_text" t CROSS JOIN LATERAL generate_series(0, t."chunks" - 1) AS s("seq");--> statement-breakpoint
DROP TABLE "import_uploads_text";--> statement-breakpoint
ALTER TABLE "import_uploads" ALTER COLUMN "data" SET STORAGE EXTERNAL;
