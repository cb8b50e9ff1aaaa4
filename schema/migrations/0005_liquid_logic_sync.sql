CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'in_flight', 'delivered', 'skipped', 'dead');--> statement-breakpoint
CREATE TYPE "public"."social_care_kind" AS ENUM('cin', 'cp_plan', 'looked_after');--> statement-breakpoint
CREATE TYPE "public"."eha_origin" AS ENUM('referral', 'step_down');--> statement-breakpoint
CREATE TYPE "public"."eha_status" AS ENUM('awaiting_first_taf', 'taf_held', 'plan_in_place', 'under_review', 'at_masp', 'stepped_up_awaiting_outcome', 'closed');--> statement-breakpoint
CREATE TYPE "public"."referral_status" AS ENUM('submitted', 'accepted', 'declined');--> statement-breakpoint
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
CREATE UNIQUE INDEX "outbox_idempotency_key_uq" ON "outbox" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "outbox_child_open_idx" ON "outbox" USING btree ("child_id","id") WHERE status in ('pending', 'in_flight');--> statement-breakpoint
CREATE INDEX "outbox_status_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "social_care_statuses_remote_uq" ON "social_care_statuses" USING btree ("kind","remote_episode_id");--> statement-breakpoint
CREATE INDEX "social_care_statuses_child_idx" ON "social_care_statuses" USING btree ("child_id");--> statement-breakpoint
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