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
CREATE INDEX "revoked_credentials_value_idx" ON "revoked_credentials" USING btree ("kind","value");