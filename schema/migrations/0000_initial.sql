CREATE TYPE "public"."consent_giver" AS ENUM('young_person', 'family_member');--> statement-breakpoint
CREATE TYPE "public"."consent_method" AS ENUM('verbal', 'written');--> statement-breakpoint
CREATE TYPE "public"."override_review" AS ENUM('pending', 'upheld', 'not_upheld');--> statement-breakpoint
CREATE TYPE "public"."cluster" AS ENUM('north_west', 'north', 'west', 'east', 'central', 'south');--> statement-breakpoint
CREATE TYPE "public"."gender" AS ENUM('female', 'male', 'other', 'not_known');--> statement-breakpoint
CREATE TYPE "public"."household_relation" AS ENUM('parent', 'carer', 'sibling');--> statement-breakpoint
CREATE TYPE "public"."involvement_kind" AS ENUM('on_roll', 'caseload', 'lead_practitioner', 'allocated_social_worker', 'allocated_family_support', 'screening', 'masp', 'police_notification', 'vcs_support', 'taf_member');--> statement-breakpoint
CREATE TYPE "public"."organisation_kind" AS ENUM('school', 'health', 'police', 'voluntary', 'council_early_help', 'social_care', 'other');--> statement-breakpoint
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
CREATE INDEX "access_audit_child_idx" ON "access_audit" USING btree ("child_id","occurred_at");--> statement-breakpoint
CREATE INDEX "access_audit_org_idx" ON "access_audit" USING btree ("caller_organisation_id","occurred_at");--> statement-breakpoint
CREATE INDEX "access_audit_subject_idx" ON "access_audit" USING btree ("caller_subject","occurred_at");--> statement-breakpoint
CREATE INDEX "consents_child_idx" ON "consents" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "overrides_child_idx" ON "safeguarding_overrides" USING btree ("child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "children_nhs_number_live_uq" ON "children" USING btree ("nhs_number") WHERE merged_into is null and nhs_number is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "children_upn_live_uq" ON "children" USING btree ("upn") WHERE merged_into is null and upn is not null;--> statement-breakpoint
CREATE INDEX "children_match_key_idx" ON "children" USING btree ("match_key");--> statement-breakpoint
CREATE INDEX "household_links_child_idx" ON "household_links" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "involvements_child_idx" ON "involvements" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "involvements_org_kind_idx" ON "involvements" USING btree ("organisation_id","kind");--> statement-breakpoint
CREATE INDEX "involvements_practitioner_idx" ON "involvements" USING btree ("practitioner_id");--> statement-breakpoint
CREATE INDEX "practitioners_org_idx" ON "practitioners" USING btree ("organisation_id");