CREATE TABLE "indicator_figures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"indicator" text NOT NULL,
	"period_from" text NOT NULL,
	"period_to" text NOT NULL,
	"version" integer NOT NULL,
	"value" double precision NOT NULL,
	"numerator" integer,
	"denominator" integer,
	"source" text NOT NULL,
	"provenance" text NOT NULL,
	"submitted_by_subject" text NOT NULL,
	"submitted_by_organisation_id" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_figures_version_uq" ON "indicator_figures" USING btree ("indicator","period_from","period_to","version");