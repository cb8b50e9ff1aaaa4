-- Every case event is announced on ehh_case_events with its seq as the payload (subscriptions and
-- the outbox worker listen there). Announced by the database as the row is inserted, so the
-- NOTIFY is part of the inserting transaction whatever inserts the row — delivered on commit,
-- never for a rollback — and costs the writer no round trip of its own.
CREATE OR REPLACE FUNCTION case_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ehh_case_events', NEW.seq::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER case_events_notify AFTER INSERT ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_notify();
