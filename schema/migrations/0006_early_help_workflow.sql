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
CREATE INDEX "vcs_contacts_child_idx" ON "vcs_contacts" USING btree ("child_id","contact_date");--> statement-breakpoint
CREATE TYPE "public"."eha_origin" AS ENUM('referral', 'step_down');
--> statement-breakpoint
CREATE TYPE "public"."eha_status" AS ENUM('awaiting_first_taf', 'taf_held', 'plan_in_place', 'under_review', 'at_masp', 'stepped_up_awaiting_outcome', 'closed');
--> statement-breakpoint
CREATE TYPE "public"."referral_status" AS ENUM('submitted', 'accepted', 'declined');
--> statement-breakpoint
CREATE TABLE "action_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eha_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"agreed_on" date NOT NULL,
	"desired_outcome" text NOT NULL,
	"family_strengths" text NOT NULL,
	"needs" jsonb NOT NULL,
	"contingency_plan" text NOT NULL,
	"timescales" text NOT NULL,
	"key_agencies" jsonb NOT NULL,
	"review_date" date NOT NULL,
	"recorded_by_subject" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eha_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eha_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"was_due_by" date NOT NULL,
	"on_time" boolean NOT NULL,
	"circumstances_changed" boolean NOT NULL,
	"progress" jsonb NOT NULL,
	"next_review_date" date NOT NULL,
	"recorded_by_subject" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ehas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"status" "eha_status" NOT NULL,
	"resume_status" "eha_status",
	"origin" "eha_origin" NOT NULL,
	"referral_id" uuid,
	"single_assessment_ref" text,
	"cluster" text NOT NULL,
	"started_on" date NOT NULL,
	"family_support_manager_id" uuid NOT NULL,
	"lead_practitioner_id" uuid,
	"first_taf_due_by" date,
	"first_taf_on" date,
	"expected_first_taf_attendee_id" uuid,
	"next_review_due" date,
	"step_up_rationale" text,
	"social_worker_id" uuid,
	"single_assessment_outcome" text,
	"masp_criteria" text[],
	"masp_outcome" text,
	"closed_on" date,
	"closure_outcome" text,
	"closure_rationale" text,
	"signposting" text[],
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"eha_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"description" text NOT NULL,
	"owning_organisation_id" uuid NOT NULL,
	"due_date" date NOT NULL,
	"frequency_of_contact" text NOT NULL,
	"status" text DEFAULT 'not_started' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"status" "referral_status" DEFAULT 'submitted' NOT NULL,
	"referral_date" date NOT NULL,
	"referrer_subject" text NOT NULL,
	"referrer_organisation_id" uuid NOT NULL,
	"needs" jsonb NOT NULL,
	"family_member_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"consent_id" uuid,
	"override_id" uuid,
	"cluster" text,
	"screened_by_subject" text,
	"screened_on" date,
	"decision_rationale" text,
	"signposting" text[],
	"eha_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "taf_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eha_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"is_first" boolean NOT NULL,
	"chair_practitioner_id" uuid NOT NULL,
	"lead_practitioner_id" uuid NOT NULL,
	"attendee_organisation_ids" uuid[] NOT NULL,
	"recorded_by_subject" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workflow_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"machine" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"cluster" text,
	"from_state" text,
	"action" text NOT NULL,
	"to_state" text NOT NULL,
	"on_date" date NOT NULL,
	"actor_subject" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "eha_reviews" ADD CONSTRAINT "eha_reviews_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "eha_reviews" ADD CONSTRAINT "eha_reviews_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_family_support_manager_id_practitioners_id_fk" FOREIGN KEY ("family_support_manager_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_lead_practitioner_id_practitioners_id_fk" FOREIGN KEY ("lead_practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_expected_first_taf_attendee_id_practitioners_id_fk" FOREIGN KEY ("expected_first_taf_attendee_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_social_worker_id_practitioners_id_fk" FOREIGN KEY ("social_worker_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_plan_id_action_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."action_plans"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_owning_organisation_id_organisations_id_fk" FOREIGN KEY ("owning_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referrer_organisation_id_organisations_id_fk" FOREIGN KEY ("referrer_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_consent_id_consents_id_fk" FOREIGN KEY ("consent_id") REFERENCES "public"."consents"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_override_id_safeguarding_overrides_id_fk" FOREIGN KEY ("override_id") REFERENCES "public"."safeguarding_overrides"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "taf_meetings" ADD CONSTRAINT "taf_meetings_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "taf_meetings" ADD CONSTRAINT "taf_meetings_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "taf_meetings" ADD CONSTRAINT "taf_meetings_chair_practitioner_id_practitioners_id_fk" FOREIGN KEY ("chair_practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "taf_meetings" ADD CONSTRAINT "taf_meetings_lead_practitioner_id_practitioners_id_fk" FOREIGN KEY ("lead_practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "workflow_transitions" ADD CONSTRAINT "workflow_transitions_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "action_plans_eha_revision_uq" ON "action_plans" USING btree ("eha_id","revision");
--> statement-breakpoint
CREATE INDEX "eha_reviews_eha_idx" ON "eha_reviews" USING btree ("eha_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "ehas_one_open_per_child_uq" ON "ehas" USING btree ("child_id") WHERE status <> 'closed';
--> statement-breakpoint
CREATE INDEX "ehas_status_idx" ON "ehas" USING btree ("status");
--> statement-breakpoint
CREATE INDEX "ehas_cluster_idx" ON "ehas" USING btree ("cluster");
--> statement-breakpoint
CREATE INDEX "plan_actions_plan_idx" ON "plan_actions" USING btree ("plan_id");
--> statement-breakpoint
CREATE INDEX "plan_actions_org_idx" ON "plan_actions" USING btree ("owning_organisation_id");
--> statement-breakpoint
CREATE INDEX "referrals_child_idx" ON "referrals" USING btree ("child_id");
--> statement-breakpoint
CREATE INDEX "referrals_status_idx" ON "referrals" USING btree ("status");
--> statement-breakpoint
CREATE INDEX "taf_meetings_eha_idx" ON "taf_meetings" USING btree ("eha_id");
--> statement-breakpoint
CREATE INDEX "workflow_transitions_entity_idx" ON "workflow_transitions" USING btree ("entity_id");
--> statement-breakpoint
CREATE INDEX "workflow_transitions_date_idx" ON "workflow_transitions" USING btree ("on_date","action");