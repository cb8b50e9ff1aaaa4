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
ALTER TABLE "advice_point_contacts" ADD CONSTRAINT "advice_point_contacts_advice_point_id_directory_entries_id_fk" FOREIGN KEY ("advice_point_id") REFERENCES "public"."directory_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_signposts" ADD CONSTRAINT "case_signposts_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_signposts" ADD CONSTRAINT "case_signposts_entry_id_directory_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."directory_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_entries" ADD CONSTRAINT "directory_entries_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "advice_point_contacts_idx" ON "advice_point_contacts" USING btree ("advice_point_id","contacted_on");--> statement-breakpoint
CREATE INDEX "case_signposts_child_idx" ON "case_signposts" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "case_signposts_entry_idx" ON "case_signposts" USING btree ("entry_id","signposted_on");--> statement-breakpoint
CREATE INDEX "directory_entries_kind_idx" ON "directory_entries" USING btree ("kind","cluster");