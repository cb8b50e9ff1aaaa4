ALTER TYPE "public"."organisation_kind" ADD VALUE 'education_welfare';--> statement-breakpoint
ALTER TYPE "public"."organisation_kind" ADD VALUE 'youth_justice';--> statement-breakpoint
ALTER TYPE "public"."organisation_kind" ADD VALUE 'adult_services';--> statement-breakpoint
ALTER TYPE "public"."organisation_kind" ADD VALUE 'jobcentre_plus';