ALTER TABLE "children" ADD COLUMN "nhs_number_traced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "nhs_number_traced_by" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "nhs_number_trace_score" double precision;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "nhs_number_trace_source" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "address_restricted" boolean DEFAULT false NOT NULL;