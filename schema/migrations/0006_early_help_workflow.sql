CREATE TABLE "feed_submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"feed" text NOT NULL,
	"external_ref" text NOT NULL,
	"content_hash" text NOT NULL,
	"response" jsonb,
	"submitted_by_subject" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "health_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"record_id" text NOT NULL,
	"level" text NOT NULL,
	"previous_level" text,
	"effective_date" date NOT NULL,
	"contact_type" text NOT NULL,
	"summary" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pending_matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"submission_id" uuid NOT NULL,
	"feed" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"candidate_child_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"resolved_child_id" uuid,
	"resolved_by_subject" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "police_incident_children" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"child_id" uuid,
	"present" boolean NOT NULL,
	"where_during" text,
	"voice_of_child" text
);
--> statement-breakpoint
CREATE TABLE "police_incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"police_reference" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"location" text NOT NULL,
	"circumstances" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "police_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"incident_child_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"recipient_organisation_id" uuid NOT NULL,
	"route" text NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by_subject" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "school_attendance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"attendance_percent" numeric(5, 2) NOT NULL,
	"fixed_period_exclusions" integer DEFAULT 0 NOT NULL,
	"exclusion_days" numeric(5, 1) DEFAULT 0 NOT NULL,
	"persistent_absence" boolean NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "school_closures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid,
	"first_day" date NOT NULL,
	"last_day" date NOT NULL,
	"label" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vcs_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"contact_ref" text NOT NULL,
	"contact_date" date NOT NULL,
	"contact_type" text NOT NULL,
	"summary" text NOT NULL,
	"consent_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feed_submissions" ADD CONSTRAINT "feed_submissions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_updates" ADD CONSTRAINT "health_updates_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_updates" ADD CONSTRAINT "health_updates_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_matches" ADD CONSTRAINT "pending_matches_submission_id_feed_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."feed_submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_matches" ADD CONSTRAINT "pending_matches_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_matches" ADD CONSTRAINT "pending_matches_resolved_child_id_children_id_fk" FOREIGN KEY ("resolved_child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_incident_children" ADD CONSTRAINT "police_incident_children_incident_id_police_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."police_incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_incident_children" ADD CONSTRAINT "police_incident_children_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_incidents" ADD CONSTRAINT "police_incidents_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_notifications" ADD CONSTRAINT "police_notifications_incident_id_police_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."police_incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_notifications" ADD CONSTRAINT "police_notifications_incident_child_id_police_incident_children_id_fk" FOREIGN KEY ("incident_child_id") REFERENCES "public"."police_incident_children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_notifications" ADD CONSTRAINT "police_notifications_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_notifications" ADD CONSTRAINT "police_notifications_recipient_organisation_id_organisations_id_fk" FOREIGN KEY ("recipient_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_attendance" ADD CONSTRAINT "school_attendance_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_attendance" ADD CONSTRAINT "school_attendance_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_closures" ADD CONSTRAINT "school_closures_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vcs_contacts" ADD CONSTRAINT "vcs_contacts_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vcs_contacts" ADD CONSTRAINT "vcs_contacts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "feed_submissions_key_uq" ON "feed_submissions" USING btree ("organisation_id","feed","external_ref");--> statement-breakpoint
CREATE INDEX "health_updates_child_idx" ON "health_updates" USING btree ("child_id","effective_date");--> statement-breakpoint
CREATE UNIQUE INDEX "health_updates_record_uq" ON "health_updates" USING btree ("organisation_id","record_id");--> statement-breakpoint
CREATE INDEX "pending_matches_status_idx" ON "pending_matches" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "police_incident_children_child_idx" ON "police_incident_children" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "police_notifications_recipient_idx" ON "police_notifications" USING btree ("recipient_organisation_id","acknowledged_at");--> statement-breakpoint
CREATE INDEX "police_notifications_child_idx" ON "police_notifications" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "school_attendance_child_idx" ON "school_attendance" USING btree ("child_id","period_end");--> statement-breakpoint
CREATE INDEX "school_attendance_period_idx" ON "school_attendance" USING btree ("period_start","period_end");--> statement-breakpoint
CREATE INDEX "school_closures_org_idx" ON "school_closures" USING btree ("organisation_id","first_day");--> statement-breakpoint
CREATE INDEX "vcs_contacts_child_idx" ON "vcs_contacts" USING btree ("child_id","contact_date");