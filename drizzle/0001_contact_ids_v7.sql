-- A version 7 UUID (RFC 9562) made in the database: 48 bits of Unix milliseconds, version and
-- variant bits, the rest random. PostgreSQL 18 has uuidv7(); this works on 13 and later.
CREATE OR REPLACE FUNCTION uuid_v7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
        placing substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
        FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;
--> statement-breakpoint
ALTER TABLE "contacts" ALTER COLUMN "id" SET DEFAULT uuid_v7();
