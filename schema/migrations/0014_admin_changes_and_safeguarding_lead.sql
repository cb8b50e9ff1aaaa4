CREATE TABLE "admin_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"request_id" text NOT NULL,
	"caller_subject" text NOT NULL,
	"caller_organisation_id" uuid NOT NULL,
	"caller_role" text NOT NULL,
	"client_id" text,
	"channel" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"fields" text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "designated_safeguarding_lead_id" uuid;--> statement-breakpoint
CREATE INDEX "admin_changes_entity_idx" ON "admin_changes" USING btree ("entity","entity_id","occurred_at");--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_designated_safeguarding_lead_id_practitioners_id_fk" FOREIGN KEY ("designated_safeguarding_lead_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;