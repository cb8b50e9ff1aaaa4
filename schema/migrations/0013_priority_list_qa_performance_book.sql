CREATE TABLE "performance_narratives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"indicator" text NOT NULL,
	"period_from" text NOT NULL,
	"period_to" text NOT NULL,
	"owner" text NOT NULL,
	"narrative" text NOT NULL,
	"updated_by_subject" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "priority_list_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cluster" text NOT NULL,
	"child_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"added_on" date NOT NULL,
	"added_by_subject" text NOT NULL,
	"added_by_organisation_id" uuid NOT NULL,
	"status" text DEFAULT 'listed' NOT NULL,
	"meeting_on" date,
	"decision" text,
	"decision_rationale" text,
	"allocated_practitioner_id" uuid,
	"decided_by_subject" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qa_case_audits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sample_id" uuid NOT NULL,
	"eha_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"grade" text NOT NULL,
	"findings" text NOT NULL,
	"audited_on" date NOT NULL,
	"auditor_subject" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qa_samples" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cluster" text NOT NULL,
	"month" text NOT NULL,
	"seed" text NOT NULL,
	"open_count" integer NOT NULL,
	"closed_count" integer NOT NULL,
	"eha_ids" uuid[] NOT NULL,
	"drawn_by_subject" text NOT NULL,
	"drawn_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "priority_list_entries" ADD CONSTRAINT "priority_list_entries_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "priority_list_entries" ADD CONSTRAINT "priority_list_entries_added_by_organisation_id_organisations_id_fk" FOREIGN KEY ("added_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "priority_list_entries" ADD CONSTRAINT "priority_list_entries_allocated_practitioner_id_practitioners_id_fk" FOREIGN KEY ("allocated_practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_case_audits" ADD CONSTRAINT "qa_case_audits_sample_id_qa_samples_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."qa_samples"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_case_audits" ADD CONSTRAINT "qa_case_audits_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_case_audits" ADD CONSTRAINT "qa_case_audits_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "performance_narratives_uq" ON "performance_narratives" USING btree ("indicator","period_from","period_to");--> statement-breakpoint
CREATE INDEX "priority_list_cluster_idx" ON "priority_list_entries" USING btree ("cluster","status");--> statement-breakpoint
CREATE UNIQUE INDEX "priority_list_one_listed_uq" ON "priority_list_entries" USING btree ("cluster","child_id") WHERE status = 'listed';--> statement-breakpoint
CREATE UNIQUE INDEX "qa_case_audits_sample_eha_uq" ON "qa_case_audits" USING btree ("sample_id","eha_id");--> statement-breakpoint
CREATE INDEX "qa_case_audits_eha_idx" ON "qa_case_audits" USING btree ("eha_id");--> statement-breakpoint
CREATE UNIQUE INDEX "qa_samples_cluster_month_uq" ON "qa_samples" USING btree ("cluster","month");