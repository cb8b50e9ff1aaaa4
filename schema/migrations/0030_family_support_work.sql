ALTER TYPE "public"."eha_status" ADD VALUE 'family_support_work';--> statement-breakpoint
ALTER TABLE "ehas" ADD COLUMN "escalated_to_eha_on" date;--> statement-breakpoint
ALTER TABLE "ehas" ADD COLUMN "escalation_rationale" text;