CREATE TABLE "sync_parked_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"person_id" text NOT NULL,
	"change" jsonb NOT NULL,
	"via" text NOT NULL,
	"parked_at" timestamp with time zone NOT NULL,
	"review_after" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'parked' NOT NULL
);
--> statement-breakpoint
DROP INDEX "outbox_child_open_idx";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "delivery_key" uuid;--> statement-breakpoint
CREATE INDEX "sync_parked_messages_person_idx" ON "sync_parked_messages" USING btree ("person_id");--> statement-breakpoint
-- Earlier merges copied the retired record's Liquid Logic id onto the survivor and left it on both:
-- the survivor keeps it (inbound changes resolve a retired record to its survivor anyway).
UPDATE "children" r SET "liquid_logic_person_id" = NULL
WHERE r."merged_into" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "children" l WHERE l."id" <> r."id" AND l."merged_into" IS NULL AND l."liquid_logic_person_id" = r."liquid_logic_person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "children_liquid_logic_person_id_uq" ON "children" USING btree ("liquid_logic_person_id") WHERE liquid_logic_person_id is not null;--> statement-breakpoint
CREATE INDEX "outbox_child_waiting_idx" ON "outbox" USING btree ("child_id","id") WHERE status in ('pending', 'in_flight', 'dead');