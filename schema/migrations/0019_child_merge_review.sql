CREATE TABLE "child_merge_moves" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"merge_id" uuid NOT NULL,
	"table_name" text NOT NULL,
	"column_name" text NOT NULL,
	"row_id" text NOT NULL,
	"from_value" text,
	"to_value" text
);
--> statement-breakpoint
CREATE TABLE "child_merge_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"from_child_id" uuid NOT NULL,
	"into_child_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"explanation" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"proposed_by" text NOT NULL,
	"proposed_by_organisation_id" uuid NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"merge_id" uuid
);
--> statement-breakpoint
ALTER TABLE "child_merges" ADD COLUMN "undone_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "child_merges" ADD COLUMN "undone_by" text;--> statement-breakpoint
ALTER TABLE "child_merges" ADD COLUMN "undo_reason" text;--> statement-breakpoint
ALTER TABLE "child_merge_moves" ADD CONSTRAINT "child_merge_moves_merge_id_child_merges_id_fk" FOREIGN KEY ("merge_id") REFERENCES "public"."child_merges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_merge_proposals" ADD CONSTRAINT "child_merge_proposals_from_child_id_children_id_fk" FOREIGN KEY ("from_child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_merge_proposals" ADD CONSTRAINT "child_merge_proposals_into_child_id_children_id_fk" FOREIGN KEY ("into_child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_merge_proposals" ADD CONSTRAINT "child_merge_proposals_merge_id_child_merges_id_fk" FOREIGN KEY ("merge_id") REFERENCES "public"."child_merges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "child_merge_moves_merge_idx" ON "child_merge_moves" USING btree ("merge_id","seq");--> statement-breakpoint
CREATE INDEX "child_merge_proposals_status_idx" ON "child_merge_proposals" USING btree ("status","proposed_at","id");--> statement-breakpoint
CREATE INDEX "child_merge_proposals_from_idx" ON "child_merge_proposals" USING btree ("from_child_id");--> statement-breakpoint
CREATE INDEX "child_merge_proposals_into_idx" ON "child_merge_proposals" USING btree ("into_child_id");