ALTER TABLE "ehas" ADD COLUMN "masp_rationale" text;--> statement-breakpoint
ALTER TABLE "ehas" ADD COLUMN "masp_outcome_rationale" text;