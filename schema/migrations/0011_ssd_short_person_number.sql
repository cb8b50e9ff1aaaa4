ALTER TABLE "children" ADD COLUMN "ssd_person_number" bigserial NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "children_ssd_person_number_uq" ON "children" USING btree ("ssd_person_number");