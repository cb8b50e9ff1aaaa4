ALTER TABLE "consents" ADD COLUMN "giver_name" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "giver_relationship" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "match_candidate_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;