ALTER TABLE "involvements" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
-- An end date meant "counts until the end of that day": the same meaning as an instant is the
-- start of the next day in the partnership's time zone.
UPDATE "involvements" SET "ends_at" = (("ended_on" + 1)::timestamp AT TIME ZONE 'Europe/London') WHERE "ended_on" IS NOT NULL;
--> statement-breakpoint
-- The two stay in step whoever writes them: a feed or a partner gives the last day (its end is
-- that day's end in London), the workflow gives the instant (its day is the day of the last
-- instant before it). A date changed alone moves the instant with it.
CREATE OR REPLACE FUNCTION involvements_end_instant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.ends_at IS NOT DISTINCT FROM OLD.ends_at AND NEW.ended_on IS DISTINCT FROM OLD.ended_on THEN
    NEW.ends_at := NULL;
  END IF;
  IF NEW.ends_at IS NOT NULL THEN
    NEW.ended_on := ((NEW.ends_at - interval '1 microsecond') AT TIME ZONE 'Europe/London')::date;
  ELSIF NEW.ended_on IS NOT NULL THEN
    NEW.ends_at := ((NEW.ended_on + 1)::timestamp AT TIME ZONE 'Europe/London');
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER involvements_end_instant BEFORE INSERT OR UPDATE ON "involvements"
  FOR EACH ROW EXECUTE FUNCTION involvements_end_instant();
