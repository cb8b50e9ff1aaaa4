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
CREATE INDEX "case_events_child_idx" ON "case_events" USING btree ("child_id","seq");