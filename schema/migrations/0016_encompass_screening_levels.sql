CREATE TYPE "public"."level_of_need" AS ENUM('universal', 'early_help', 'specialist');--> statement-breakpoint
ALTER TYPE "public"."involvement_kind" ADD VALUE 'encompass_recipient';--> statement-breakpoint
ALTER TYPE "public"."organisation_kind" ADD VALUE 'college';--> statement-breakpoint
ALTER TYPE "public"."organisation_kind" ADD VALUE 'early_years';--> statement-breakpoint
ALTER TYPE "public"."referral_status" ADD VALUE 'single_agency_response';--> statement-breakpoint
ALTER TYPE "public"."referral_status" ADD VALUE 'referred_to_social_care';--> statement-breakpoint
ALTER TABLE "eha_reviews" ADD COLUMN "level_of_need" "level_of_need";--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "level_of_need" "level_of_need";--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "below_threshold_reason" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "front_door_organisation_id" uuid;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "front_door_referred_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_front_door_organisation_id_organisations_id_fk" FOREIGN KEY ("front_door_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;