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
ALTER TABLE "headline_outcomes" ADD CONSTRAINT "headline_outcomes_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "headline_outcomes" ADD CONSTRAINT "headline_outcomes_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rickter_assessments" ADD CONSTRAINT "rickter_assessments_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rickter_assessments" ADD CONSTRAINT "rickter_assessments_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "headline_outcomes_eha_outcome_uq" ON "headline_outcomes" USING btree ("eha_id","outcome");--> statement-breakpoint
CREATE INDEX "rickter_assessments_eha_idx" ON "rickter_assessments" USING btree ("eha_id","assessed_on");--> statement-breakpoint
CREATE UNIQUE INDEX "rickter_assessments_once_uq" ON "rickter_assessments" USING btree ("eha_id","point") WHERE point in ('start', 'closure');