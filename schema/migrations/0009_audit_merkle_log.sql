CREATE TABLE "audit_log_checkpoints" (
	"tree_size" bigint PRIMARY KEY NOT NULL,
	"root_hash" text NOT NULL,
	"note" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log_leaves" (
	"leaf_index" bigint PRIMARY KEY NOT NULL,
	"audit_seq" bigint NOT NULL,
	"leaf_hash" text NOT NULL,
	CONSTRAINT "audit_log_leaves_audit_seq_unique" UNIQUE("audit_seq")
);
--> statement-breakpoint
CREATE TABLE "audit_log_pending" (
	"seq" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log_rejected" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"rejected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "access_audit_prev_hash_uq";--> statement-breakpoint
ALTER TABLE "access_audit" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "access_audit" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "access_audit" ADD COLUMN "mac" text;--> statement-breakpoint
-- Every audit row enters the Merkle log's queue in its own transaction, whoever inserts it:
-- the checkpointer integrates it, or records why not (audit_log_rejected).
CREATE FUNCTION audit_log_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log_pending (seq) SELECT seq FROM new_rows;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER access_audit_enqueue AFTER INSERT ON access_audit
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_log_enqueue();
--> statement-breakpoint
-- Rows written before the log began have no MAC: they join the log as they are. Every row from
-- now on must carry one (NOT VALID: enforced on new rows, existing rows are exempt).
INSERT INTO audit_log_pending (seq) SELECT seq FROM access_audit;
--> statement-breakpoint
ALTER TABLE access_audit ADD CONSTRAINT access_audit_mac_required CHECK (mac IS NOT NULL) NOT VALID;
--> statement-breakpoint
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_leaves_no_change BEFORE UPDATE OR DELETE ON audit_log_leaves
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_leaves_no_truncate BEFORE TRUNCATE ON audit_log_leaves
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_checkpoints_no_truncate BEFORE TRUNCATE ON audit_log_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_rejected_no_change BEFORE UPDATE OR DELETE ON audit_log_rejected
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_rejected_no_truncate BEFORE TRUNCATE ON audit_log_rejected
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
