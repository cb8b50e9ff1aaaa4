CREATE TABLE "missing_episodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"returned_at" timestamp with time zone,
	"reported_by" text NOT NULL,
	"reported_by_organisation_id" uuid NOT NULL,
	"reported_by_subject" text NOT NULL,
	"police_reference" text,
	"interview_offered_at" timestamp with time zone,
	"interview_accepted_at" timestamp with time zone,
	"interview_declined_at" timestamp with time zone,
	"interview_completed_at" timestamp with time zone,
	"interviewer_practitioner_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "missing_episodes" ADD CONSTRAINT "missing_episodes_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missing_episodes" ADD CONSTRAINT "missing_episodes_reported_by_organisation_id_organisations_id_fk" FOREIGN KEY ("reported_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missing_episodes" ADD CONSTRAINT "missing_episodes_interviewer_practitioner_id_practitioners_id_fk" FOREIGN KEY ("interviewer_practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "missing_episodes_child_idx" ON "missing_episodes" USING btree ("child_id","started_at");--> statement-breakpoint
CREATE INDEX "missing_episodes_open_interview_idx" ON "missing_episodes" USING btree ("returned_at") WHERE interview_completed_at is null and interview_declined_at is null and returned_at is not null;