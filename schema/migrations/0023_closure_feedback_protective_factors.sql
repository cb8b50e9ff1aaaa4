ALTER TABLE "action_plans" ADD COLUMN "protective_factors" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "ehas" ADD COLUMN "family_feedback" text;