ALTER TABLE "involvements" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "involvements" ADD COLUMN "asserted_by_subject" text;