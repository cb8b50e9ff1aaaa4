CREATE TABLE "legal_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"placed_by_subject" text NOT NULL,
	"placed_by_organisation_id" uuid NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"lifted_at" timestamp with time zone,
	"lifted_by_subject" text,
	"lift_reason" text
);
--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "legal_holds_child_idx" ON "legal_holds" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "access_audit_occurred_idx" ON "access_audit" USING btree ("occurred_at");