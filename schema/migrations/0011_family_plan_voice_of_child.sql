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
ALTER TABLE "family_plans" ADD CONSTRAINT "family_plans_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_plans" ADD CONSTRAINT "family_plans_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_of_child" ADD CONSTRAINT "voice_of_child_eha_id_ehas_id_fk" FOREIGN KEY ("eha_id") REFERENCES "public"."ehas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_of_child" ADD CONSTRAINT "voice_of_child_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "family_plans_eha_revision_uq" ON "family_plans" USING btree ("eha_id","revision");--> statement-breakpoint
CREATE INDEX "voice_of_child_eha_idx" ON "voice_of_child" USING btree ("eha_id","recorded_on");