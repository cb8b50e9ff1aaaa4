CREATE TYPE "public"."consent_giver" AS ENUM('young_person', 'family_member', 'young_person_and_family_member');--> statement-breakpoint
CREATE TYPE "public"."consent_method" AS ENUM('verbal', 'written');--> statement-breakpoint
CREATE TYPE "public"."override_review" AS ENUM('pending', 'upheld', 'not_upheld');--> statement-breakpoint
CREATE TYPE "public"."cluster" AS ENUM('north_west', 'north', 'west', 'east', 'central', 'south');--> statement-breakpoint
CREATE TYPE "public"."gender" AS ENUM('female', 'male', 'other', 'not_known');--> statement-breakpoint
CREATE TYPE "public"."household_relation" AS ENUM('parent', 'carer', 'sibling');--> statement-breakpoint
CREATE TYPE "public"."involvement_kind" AS ENUM('on_roll', 'caseload', 'lead_practitioner', 'allocated_social_worker', 'allocated_family_support', 'screening', 'masp', 'police_notification', 'vcs_support', 'taf_member');--> statement-breakpoint
CREATE TYPE "public"."organisation_kind" AS ENUM('school', 'health', 'police', 'voluntary', 'council_early_help', 'social_care', 'other');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'in_flight', 'delivered', 'skipped', 'dead');--> statement-breakpoint
CREATE TYPE "public"."social_care_kind" AS ENUM('cin', 'cp_plan', 'looked_after');--> statement-breakpoint
CREATE TYPE "public"."eha_origin" AS ENUM('referral', 'step_down');--> statement-breakpoint
CREATE TYPE "public"."eha_status" AS ENUM('awaiting_first_taf', 'taf_held', 'plan_in_place', 'under_review', 'at_masp', 'stepped_up_awaiting_outcome', 'closed');--> statement-breakpoint
CREATE TYPE "public"."referral_status" AS ENUM('submitted', 'accepted', 'declined');--> statement-breakpoint
CREATE TABLE "access_audit" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"caller_subject" text NOT NULL,
	"caller_organisation_id" uuid NOT NULL,
	"caller_role" text NOT NULL,
	"client_id" text,
	"purpose" text,
	"operation" text NOT NULL,
	"operation_name" text,
	"child_id" uuid NOT NULL,
	"categories_returned" text[] NOT NULL,
	"fields_returned" text[] NOT NULL,
	"fields_redacted" jsonb NOT NULL,
	"basis" jsonb NOT NULL,
	"changes" jsonb NOT NULL,
	"flags" text[] NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"given_by" "consent_giver" NOT NULL,
	"family_member_id" uuid,
	"method" "consent_method" NOT NULL,
	"written_confirmed_at" timestamp with time zone,
	"organisation_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"organisation_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"categories" text[] NOT NULL,
	"purposes" text[] NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_reason" text,
	"recorded_by_subject" text NOT NULL,
	"recorded_by_organisation_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "safeguarding_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"categories" text[] NOT NULL,
	"justification" text NOT NULL,
	"declared_by_subject" text NOT NULL,
	"declared_by_organisation_id" uuid NOT NULL,
	"declared_by_role" text NOT NULL,
	"declared_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"review_status" "override_review" DEFAULT 'pending' NOT NULL,
	"reviewed_by_subject" text,
	"reviewed_at" timestamp with time zone,
	"review_note" text
);
--> statement-breakpoint
CREATE TABLE "child_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"from_child_id" uuid NOT NULL,
	"into_child_id" uuid NOT NULL,
	"merged_by" text NOT NULL,
	"reason" text NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "children" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"date_of_birth" date,
	"expected_date" date,
	"gender" "gender" DEFAULT 'not_known' NOT NULL,
	"nhs_number" text,
	"nhs_number_traced" boolean DEFAULT false NOT NULL,
	"upn" text,
	"liquid_logic_person_id" text,
	"address_line" text,
	"postcode" text,
	"phone" text,
	"has_send" boolean DEFAULT false NOT NULL,
	"match_key" text NOT NULL,
	"merged_into" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "family_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"date_of_birth" date,
	"phone" text,
	"address_line" text,
	"postcode" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "household_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"relation" "household_relation" NOT NULL,
	"family_member_id" uuid,
	"sibling_child_id" uuid,
	"has_parental_responsibility" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "involvements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"practitioner_id" uuid,
	"kind" "involvement_kind" NOT NULL,
	"started_on" date NOT NULL,
	"ended_on" date
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "organisation_kind" NOT NULL,
	"cluster" "cluster",
	"external_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practitioners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"display_name" text NOT NULL,
	"email" text,
	"phone" text,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "practitioners_subject_unique" UNIQUE("subject")
);
--> statement-breakpoint
CREATE TABLE "advice_point_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"advice_point_id" uuid NOT NULL,
	"contacted_on" date NOT NULL,
	"topic" text NOT NULL,
	"channel" text NOT NULL,
	"recorded_by_subject" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_signposts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"context" text NOT NULL,
	"referral_id" uuid,
	"eha_id" uuid,
	"signposted_on" date NOT NULL,
	"recorded_by_subject" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"level" text NOT NULL,
	"cluster" text,
	"phone" text,
	"email" text,
	"address" text,
	"opening_hours" text,
	"designated_lead_name" text,
	"designated_lead_email" text,
	"designated_lead_phone" text,
	"published_by_subject" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"child_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"categories" text[] NOT NULL,
	"changed_fields" text[] NOT NULL,
	"refs" jsonb NOT NULL,
	"cluster" text,
	"actor_subject" text NOT NULL,
	"actor_organisation_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "family_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eha_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"going_well" text NOT NULL,
	"worries" text NOT NULL,
	"needs_to_happen" text NOT NULL,
	"when_things_are_better" text NOT NULL,
	"agreed_on" date NOT NULL,
	"recorded_by_subject" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_of_child" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eha_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"point" text NOT NULL,
	"recorded_on" date NOT NULL,
	"words" text NOT NULL,
	"captured_how" text NOT NULL,
	"recorded_by_subject" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"child_id" uuid NOT NULL,
	"event_kind" text NOT NULL,
	"entity" text NOT NULL,
	"refs" jsonb NOT NULL,
	"case_event_seq" bigint NOT NULL,
	"idempotency_key" uuid DEFAULT gen_random_uuid() NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_expires_at" timestamp with time zone,
	"claimed_by" text,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"content_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "social_care_statuses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"kind" "social_care_kind" NOT NULL,
	"remote_episode_id" text NOT NULL,
	"status" text NOT NULL,
	"started_on" date,
	"ended_on" date,
	"end_reason" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"position" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_delivered_hashes" (
	"entity_key" text PRIMARY KEY NOT NULL,
	"content_hash" text NOT NULL,
	"outbox_id" bigint NOT NULL,
	"delivered_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_inbound_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"via" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "headline_outcomes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eha_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"recorded_at_start_on" date NOT NULL,
	"achieved_on" date,
	"sustainment_checked_on" date,
	"sustained" boolean,
	"recorded_by_subject" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rickter_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eha_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"point" text NOT NULL,
	"assessed_on" date NOT NULL,
	"scores" jsonb NOT NULL,
	"recorded_by_subject" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "legal_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"placed_by_subject" text NOT NULL,
	"placed_by_organisation_id" uuid NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"lifted_at" timestamp with time zone,
	"lifted_by_subject" text,
	"lift_reason" text
);
--> statement-breakpoint
CREATE TABLE "revoked_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"issuer" text,
	"reason" text NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	"revoked_by_subject" text NOT NULL,
	"revoked_by_organisation_id" uuid NOT NULL,
	"restored_at" timestamp with time zone
);
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
	"masp_rationale" text,
	"masp_outcome" text,
	"masp_outcome_rationale" text,
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
ALTER TABLE "consents" ADD CONSTRAINT "consents_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_family_member_id_family_members_id_fk" FOREIGN KEY ("family_member_id") REFERENCES "public"."family_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_overrides" ADD CONSTRAINT "safeguarding_overrides_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_merges" ADD CONSTRAINT "child_merges_from_child_id_children_id_fk" FOREIGN KEY ("from_child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_merges" ADD CONSTRAINT "child_merges_into_child_id_children_id_fk" FOREIGN KEY ("into_child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_links" ADD CONSTRAINT "household_links_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_links" ADD CONSTRAINT "household_links_family_member_id_family_members_id_fk" FOREIGN KEY ("family_member_id") REFERENCES "public"."family_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_links" ADD CONSTRAINT "household_links_sibling_child_id_children_id_fk" FOREIGN KEY ("sibling_child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvements" ADD CONSTRAINT "involvements_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvements" ADD CONSTRAINT "involvements_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvements" ADD CONSTRAINT "involvements_practitioner_id_practitioners_id_fk" FOREIGN KEY ("practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practitioners" ADD CONSTRAINT "practitioners_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advice_point_contacts" ADD CONSTRAINT "advice_point_contacts_advice_point_id_directory_entries_id_fk" FOREIGN KEY ("advice_point_id") REFERENCES "public"."directory_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_signposts" ADD CONSTRAINT "case_signposts_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_signposts" ADD CONSTRAINT "case_signposts_entry_id_directory_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."directory_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_entries" ADD CONSTRAINT "directory_entries_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_plans" ADD CONSTRAINT "family_plans_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_plans" ADD CONSTRAINT "family_plans_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_of_child" ADD CONSTRAINT "voice_of_child_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_of_child" ADD CONSTRAINT "voice_of_child_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
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
ALTER TABLE "missing_episodes" ADD CONSTRAINT "missing_episodes_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missing_episodes" ADD CONSTRAINT "missing_episodes_reported_by_organisation_id_organisations_id_fk" FOREIGN KEY ("reported_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missing_episodes" ADD CONSTRAINT "missing_episodes_interviewer_practitioner_id_practitioners_id_fk" FOREIGN KEY ("interviewer_practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "headline_outcomes" ADD CONSTRAINT "headline_outcomes_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "headline_outcomes" ADD CONSTRAINT "headline_outcomes_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rickter_assessments" ADD CONSTRAINT "rickter_assessments_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rickter_assessments" ADD CONSTRAINT "rickter_assessments_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "priority_list_entries" ADD CONSTRAINT "priority_list_entries_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "priority_list_entries" ADD CONSTRAINT "priority_list_entries_added_by_organisation_id_organisations_id_fk" FOREIGN KEY ("added_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "priority_list_entries" ADD CONSTRAINT "priority_list_entries_allocated_practitioner_id_practitioners_id_fk" FOREIGN KEY ("allocated_practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_case_audits" ADD CONSTRAINT "qa_case_audits_sample_id_qa_samples_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."qa_samples"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_case_audits" ADD CONSTRAINT "qa_case_audits_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_case_audits" ADD CONSTRAINT "qa_case_audits_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eha_reviews" ADD CONSTRAINT "eha_reviews_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eha_reviews" ADD CONSTRAINT "eha_reviews_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_family_support_manager_id_practitioners_id_fk" FOREIGN KEY ("family_support_manager_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_lead_practitioner_id_practitioners_id_fk" FOREIGN KEY ("lead_practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_expected_first_taf_attendee_id_practitioners_id_fk" FOREIGN KEY ("expected_first_taf_attendee_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_social_worker_id_practitioners_id_fk" FOREIGN KEY ("social_worker_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_plan_id_action_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."action_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_owning_organisation_id_organisations_id_fk" FOREIGN KEY ("owning_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referrer_organisation_id_organisations_id_fk" FOREIGN KEY ("referrer_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_consent_id_consents_id_fk" FOREIGN KEY ("consent_id") REFERENCES "public"."consents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_override_id_safeguarding_overrides_id_fk" FOREIGN KEY ("override_id") REFERENCES "public"."safeguarding_overrides"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taf_meetings" ADD CONSTRAINT "taf_meetings_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taf_meetings" ADD CONSTRAINT "taf_meetings_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taf_meetings" ADD CONSTRAINT "taf_meetings_chair_practitioner_id_practitioners_id_fk" FOREIGN KEY ("chair_practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taf_meetings" ADD CONSTRAINT "taf_meetings_lead_practitioner_id_practitioners_id_fk" FOREIGN KEY ("lead_practitioner_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_transitions" ADD CONSTRAINT "workflow_transitions_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_audit_child_idx" ON "access_audit" USING btree ("child_id","occurred_at");--> statement-breakpoint
CREATE INDEX "access_audit_org_idx" ON "access_audit" USING btree ("caller_organisation_id","occurred_at");--> statement-breakpoint
CREATE INDEX "access_audit_subject_idx" ON "access_audit" USING btree ("caller_subject","occurred_at");--> statement-breakpoint
CREATE INDEX "access_audit_occurred_idx" ON "access_audit" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "access_audit_org_seq_idx" ON "access_audit" USING btree ("caller_organisation_id","seq");--> statement-breakpoint
CREATE INDEX "access_audit_subject_seq_idx" ON "access_audit" USING btree ("caller_subject","seq");--> statement-breakpoint
CREATE INDEX "consents_child_idx" ON "consents" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "overrides_child_idx" ON "safeguarding_overrides" USING btree ("child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "children_nhs_number_live_uq" ON "children" USING btree ("nhs_number") WHERE merged_into is null and nhs_number is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "children_upn_live_uq" ON "children" USING btree ("upn") WHERE merged_into is null and upn is not null;--> statement-breakpoint
CREATE INDEX "children_match_key_idx" ON "children" USING btree ("match_key");--> statement-breakpoint
CREATE INDEX "household_links_child_idx" ON "household_links" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "involvements_child_idx" ON "involvements" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "involvements_org_kind_idx" ON "involvements" USING btree ("organisation_id","kind");--> statement-breakpoint
CREATE INDEX "involvements_practitioner_idx" ON "involvements" USING btree ("practitioner_id");--> statement-breakpoint
CREATE INDEX "practitioners_org_idx" ON "practitioners" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "advice_point_contacts_idx" ON "advice_point_contacts" USING btree ("advice_point_id","contacted_on");--> statement-breakpoint
CREATE INDEX "case_signposts_child_idx" ON "case_signposts" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "case_signposts_entry_idx" ON "case_signposts" USING btree ("entry_id","signposted_on");--> statement-breakpoint
CREATE INDEX "directory_entries_kind_idx" ON "directory_entries" USING btree ("kind","cluster");--> statement-breakpoint
CREATE INDEX "case_events_child_idx" ON "case_events" USING btree ("child_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "family_plans_eha_revision_uq" ON "family_plans" USING btree ("eha_id","revision");--> statement-breakpoint
CREATE INDEX "voice_of_child_eha_idx" ON "voice_of_child" USING btree ("eha_id","recorded_on");--> statement-breakpoint
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
CREATE INDEX "missing_episodes_child_idx" ON "missing_episodes" USING btree ("child_id","started_at");--> statement-breakpoint
CREATE INDEX "missing_episodes_open_interview_idx" ON "missing_episodes" USING btree ("returned_at") WHERE interview_completed_at is null and interview_declined_at is null and returned_at is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_idempotency_key_uq" ON "outbox" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "outbox_child_open_idx" ON "outbox" USING btree ("child_id","id") WHERE status in ('pending', 'in_flight');--> statement-breakpoint
CREATE INDEX "outbox_status_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "social_care_statuses_remote_uq" ON "social_care_statuses" USING btree ("kind","remote_episode_id");--> statement-breakpoint
CREATE INDEX "social_care_statuses_child_idx" ON "social_care_statuses" USING btree ("child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "headline_outcomes_eha_outcome_uq" ON "headline_outcomes" USING btree ("eha_id","outcome");--> statement-breakpoint
CREATE INDEX "rickter_assessments_eha_idx" ON "rickter_assessments" USING btree ("eha_id","assessed_on");--> statement-breakpoint
CREATE UNIQUE INDEX "rickter_assessments_once_uq" ON "rickter_assessments" USING btree ("eha_id","point") WHERE point in ('start', 'closure');--> statement-breakpoint
CREATE UNIQUE INDEX "performance_narratives_uq" ON "performance_narratives" USING btree ("indicator","period_from","period_to");--> statement-breakpoint
CREATE INDEX "priority_list_cluster_idx" ON "priority_list_entries" USING btree ("cluster","status");--> statement-breakpoint
CREATE UNIQUE INDEX "priority_list_one_listed_uq" ON "priority_list_entries" USING btree ("cluster","child_id") WHERE status = 'listed';--> statement-breakpoint
CREATE UNIQUE INDEX "qa_case_audits_sample_eha_uq" ON "qa_case_audits" USING btree ("sample_id","eha_id");--> statement-breakpoint
CREATE INDEX "qa_case_audits_eha_idx" ON "qa_case_audits" USING btree ("eha_id");--> statement-breakpoint
CREATE UNIQUE INDEX "qa_samples_cluster_month_uq" ON "qa_samples" USING btree ("cluster","month");--> statement-breakpoint
CREATE INDEX "legal_holds_child_idx" ON "legal_holds" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "revoked_credentials_value_idx" ON "revoked_credentials" USING btree ("kind","value");--> statement-breakpoint
CREATE UNIQUE INDEX "action_plans_eha_revision_uq" ON "action_plans" USING btree ("eha_id","revision");--> statement-breakpoint
CREATE INDEX "eha_reviews_eha_idx" ON "eha_reviews" USING btree ("eha_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ehas_one_open_per_child_uq" ON "ehas" USING btree ("child_id") WHERE status <> 'closed';--> statement-breakpoint
CREATE INDEX "ehas_status_idx" ON "ehas" USING btree ("status");--> statement-breakpoint
CREATE INDEX "ehas_cluster_idx" ON "ehas" USING btree ("cluster");--> statement-breakpoint
CREATE INDEX "plan_actions_plan_idx" ON "plan_actions" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "plan_actions_org_idx" ON "plan_actions" USING btree ("owning_organisation_id");--> statement-breakpoint
CREATE INDEX "referrals_child_idx" ON "referrals" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "referrals_status_idx" ON "referrals" USING btree ("status");--> statement-breakpoint
CREATE INDEX "taf_meetings_eha_idx" ON "taf_meetings" USING btree ("eha_id");--> statement-breakpoint
CREATE INDEX "workflow_transitions_entity_idx" ON "workflow_transitions" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "workflow_transitions_date_idx" ON "workflow_transitions" USING btree ("on_date","action");