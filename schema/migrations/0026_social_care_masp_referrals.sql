CREATE TABLE "social_care_masp_referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"social_care_status" text NOT NULL,
	"criteria" text[] NOT NULL,
	"rationale" text NOT NULL,
	"referred_on" date NOT NULL,
	"referred_by_subject" text NOT NULL,
	"social_worker_id" uuid NOT NULL,
	"outcome" text,
	"outcome_rationale" text,
	"decided_on" date,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "social_care_masp_referrals" ADD CONSTRAINT "social_care_masp_referrals_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_care_masp_referrals" ADD CONSTRAINT "social_care_masp_referrals_social_worker_id_practitioners_id_fk" FOREIGN KEY ("social_worker_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "social_care_masp_referrals_child_idx" ON "social_care_masp_referrals" USING btree ("child_id");