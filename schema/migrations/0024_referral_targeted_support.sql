ALTER TABLE "referrals" ADD COLUMN "targeted_support_organisation_id" uuid;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "targeted_support_review_by" date;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "targeted_support_ended_on" date;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "targeted_support_outcome" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "targeted_support_note" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_targeted_support_organisation_id_organisations_id_fk" FOREIGN KEY ("targeted_support_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;