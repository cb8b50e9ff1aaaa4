/**
 * Database roles (README: Deployment, Database roles). Migrations run as an owner role; the hub
 * connects as a runtime role that owns nothing, is not a superuser, and on the audit tables holds
 * only SELECT and INSERT — so it cannot update, delete, truncate, or alter, disable or drop the
 * append-only triggers. (Its one DELETE on the audit side is on the log's work queue.)
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../db';

/** Append-only tables: SELECT and INSERT only. */
const APPEND_ONLY_AUDIT_TABLES = [
  'access_audit',
  'audit_log_leaves',
  'audit_log_checkpoints',
  'audit_log_rejected',
  'admin_changes',
] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The grants of the runtime role, to run as the owner after every migration (idempotent): the
 * case tables read and written, the audit tables read and appended to, nothing more.
 */
function runtimeGrants(role: string): string[] {
  if (!ROLE_NAME.test(role)) throw new Error('the runtime role must be a lower-case SQL identifier');
  const audit = APPEND_ONLY_AUDIT_TABLES.join(', ');
  return [
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${audit} FROM ${role}`,
    `REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${role}`,
    // The migrations' bookkeeping: read (start-up checks it is complete), written by the owner alone.
    `GRANT USAGE ON SCHEMA drizzle TO ${role}`,
    `GRANT SELECT ON drizzle.__drizzle_migrations TO ${role}`,
    `REVOKE CREATE ON SCHEMA public FROM ${role}`,
  ];
}

export async function grantRuntimeRole(db: DbOrTx, role: string): Promise<void> {
  for (const statement of runtimeGrants(role)) await db.execute(sql.raw(statement));
}

/**
 * What the connected role could do to the audit that it must not: empty for a proper runtime
 * role. The hub checks this at start in production and refuses to serve otherwise.
 */
export async function auditPrivilegeProblems(db: DbOrTx): Promise<string[]> {
  const [me] = rowsOf<{ name: string; superuser: boolean }>(
    await db.execute(sql`
    select current_user as name, rolsuper as superuser from pg_roles where rolname = current_user`),
  );
  const problems: string[] = [];
  if (me?.superuser) problems.push(`${me.name} is a superuser`);
  for (const table of APPEND_ONLY_AUDIT_TABLES) {
    const [row] = rowsOf<{ owner: boolean; upd: boolean; del: boolean; trunc: boolean; trig: boolean }>(
      await db.execute(sql`
      select pg_has_role(current_user, c.relowner, 'USAGE') as owner,
        has_table_privilege(c.oid, 'UPDATE') as upd, has_table_privilege(c.oid, 'DELETE') as del,
        has_table_privilege(c.oid, 'TRUNCATE') as trunc, has_table_privilege(c.oid, 'TRIGGER') as trig
      from pg_class c where c.oid = to_regclass(${table})`),
    );
    if (!row) continue;
    if (row.owner) problems.push(`${me?.name} owns ${table} (can alter, disable or drop its triggers)`);
    const rights = [row.upd && 'UPDATE', row.del && 'DELETE', row.trunc && 'TRUNCATE', row.trig && 'TRIGGER'].filter(
      Boolean,
    );
    if (rights.length) problems.push(`${me?.name} holds ${rights.join(', ')} on ${table}`);
  }
  return problems;
}
