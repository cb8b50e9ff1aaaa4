ALTER TABLE "ehas" ADD COLUMN "step_down_meeting" text;--> statement-breakpoint
ALTER TABLE "ehas" ADD COLUMN "step_down_meeting_on" date;--> statement-breakpoint
ALTER TABLE "ehas" ADD COLUMN "step_down_eh_das_representative_id" uuid;--> statement-breakpoint
ALTER TABLE "ehas" ADD COLUMN "step_down_support" text;--> statement-breakpoint
ALTER TABLE "ehas" ADD CONSTRAINT "ehas_step_down_eh_das_representative_id_practitioners_id_fk" FOREIGN KEY ("step_down_eh_das_representative_id") REFERENCES "public"."practitioners"("id") ON DELETE no action ON UPDATE no action;