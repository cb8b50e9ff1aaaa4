-- The access audit is append-only: UPDATE, DELETE and TRUNCATE are refused by the database
-- itself, whatever the application does. (Where the hub runs as a non-owner role, also
-- `REVOKE UPDATE, DELETE, TRUNCATE ON access_audit FROM <hub role>`; see README, Deployment.)
CREATE OR REPLACE FUNCTION access_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'access_audit is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER access_audit_no_update_delete BEFORE UPDATE OR DELETE ON access_audit
  FOR EACH ROW EXECUTE FUNCTION access_audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER access_audit_no_truncate BEFORE TRUNCATE ON access_audit
  FOR EACH STATEMENT EXECUTE FUNCTION access_audit_refuse_change();
