ALTER TABLE "consents" ADD COLUMN "competence_assessed_by" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "competence_assessed_on" date;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "competence_reasoning" text;--> statement-breakpoint
ALTER TABLE "safeguarding_overrides" ADD COLUMN "recipient_organisation_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
-- Overrides declared before recipients were named open to the declaring organisation and the council's Early Help service.
UPDATE "safeguarding_overrides" SET "recipient_organisation_ids" = ARRAY(
  SELECT DISTINCT unnest(array_append(ARRAY(
    SELECT "id" FROM "organisations" WHERE "kind" = 'council_early_help' ORDER BY "created_at", "id" LIMIT 1
  ), "declared_by_organisation_id"))
);
