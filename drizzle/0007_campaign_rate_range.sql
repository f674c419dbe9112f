-- Rates stored before the API bounded them are brought within the bounds (1e-300 looped the
-- dispatcher on "timestamp out of range"; a rate above 1,000 becomes 1,000).
UPDATE "campaigns" SET "rate_per_second" = least(greatest("rate_per_second", 0.01), 1000)
WHERE "rate_per_second" NOT BETWEEN 0.01 AND 1000;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_rate_per_second_range" CHECK ("campaigns"."rate_per_second" is null or "campaigns"."rate_per_second" between 0.01 and 1000);
