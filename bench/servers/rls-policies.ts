/**
 * The row-level security a team would write instead of the hub, for PostGraphile's same-work
 * reference (postgraphile.ts with BENCH_RLS=1): PostgreSQL policies that decide the school
 * lookup's rule on every row PostGraphile reads — relationship in force, then for a consent-based
 * category a consent in force for the category, the caller's organisation (or its kind) and the
 * purpose, or a safeguarding override in force naming the organisation.
 *
 * The rule is generated from the hub's permission data (permissionFor, kindsForPurpose): one row
 * per role and purpose the role may state, so a purpose the role may not state finds no row and
 * reads nothing. Only organisation-scoped relationships are expressed (the school caller's); a
 * practitioner-scoped role reads nothing here.
 *
 * The bench databases are shared by every server of a run: the policies apply only to the
 * NOLOGIN role `bench_rls_reader` that PostGraphile switches to per request (pgSettings `role`).
 * The hub and the other references connect as the tables' owner or a superuser, which PostgreSQL
 * exempts from row security, and `teardown` disables it again and drops what `setup` made.
 */
import postgres from 'postgres';
import { postgresSocket } from '../../src/db/database';
import { permissionFor } from '../../src/access/permissions';
import { ROLE_PURPOSES } from '../../src/access/role-purposes';
import { kindsForPurpose } from '../../src/access/relationship-kinds';
import type { Role } from '../../src/access/roles';

export const RLS_ROLE = 'bench_rls_reader';
/** The settings PostGraphile sets per request (set_config, local to its transaction). */
export const RLS_SETTINGS = { organisation: 'ehh.organisation_id', role: 'ehh.role', purpose: 'ehh.purpose' } as const;

/** Tables with policies: the child (identity, identifiers) and the early_help tables the lookup reads. */
const POLICED_TABLES = ['children', 'ehas', 'action_plans', 'plan_actions'] as const;

/** The (role, purpose) rules: relationship kinds that count and the read basis per category. */
function ruleRows(): { role: string; purpose: string; kinds: string[]; reads: Record<string, string> }[] {
  return Object.entries(ROLE_PURPOSES).flatMap(([role, purposes]) =>
    purposes.flatMap((purpose) => {
      const permission = permissionFor(role as Role, purpose);
      if (permission.relationship?.scope !== 'organisation') return [];
      return [
        {
          role,
          purpose,
          kinds: kindsForPurpose(permission.relationship.kinds, purpose),
          reads: permission.read as Record<string, string>,
        },
      ];
    }),
  );
}

const setting = (name: string) => `nullif(current_setting('${name}', true), '')`;

const SETUP = `
do $$ begin
  if not exists (select from pg_roles where rolname = '${RLS_ROLE}') then create role ${RLS_ROLE} nologin; end if;
end $$;
create schema if not exists bench_rls;
create table if not exists bench_rls.rules (role text, purpose text, kinds text[] not null, reads jsonb not null, primary key (role, purpose));
grant usage on schema bench_rls to ${RLS_ROLE};

-- The decision for one child and category, as access-decider.ts states it. Security definer: the
-- reader may not read involvements, consents or overrides itself. plpgsql, so its plans are cached per connection.
create or replace function bench_rls.may_read(child uuid, category text) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $fn$
declare
  org uuid := ${setting(RLS_SETTINGS.organisation)}::uuid;
  caller_purpose text := ${setting(RLS_SETTINGS.purpose)};
  rule_kinds text[];
  basis text;
begin
  select r.kinds, r.reads ->> category into rule_kinds, basis
    from bench_rls.rules r where r.role = ${setting(RLS_SETTINGS.role)} and r.purpose = caller_purpose;
  if basis is null or org is null then return false; end if;
  -- The relationship in force: started by the partnership's calendar date, not ended by now.
  if not exists (select 1 from public.involvements i
      where i.child_id = child and i.organisation_id = org and i.kind::text = any (rule_kinds)
        and i.started_on <= (now() at time zone 'Europe/London')::date
        and (i.ends_at is null or i.ends_at > now())) then
    return false;
  end if;
  if basis = 'isa' then return true; end if;
  return exists (select 1 from public.consents c
      where c.child_id = child and category = any (c.categories) and caller_purpose = any (c.purposes)
        and (org = any (c.organisation_ids)
          or (select o.kind::text from public.organisations o where o.id = org) = any (c.organisation_kinds))
        and c.starts_at <= now() and (c.withdrawn_at is null or c.withdrawn_at > now())
        and (c.expires_at is null or c.expires_at > now()))
    or exists (select 1 from public.safeguarding_overrides s
      where s.child_id = child and category = any (s.categories) and org = any (s.recipient_organisation_ids)
        and s.declared_at <= now() and s.expires_at > now()
        and (s.revoked_at is null or s.revoked_at > now()) and s.review_status <> 'not_upheld');
end $fn$;
revoke all on function bench_rls.may_read(uuid, text) from public;
grant execute on function bench_rls.may_read(uuid, text) to ${RLS_ROLE};

-- Columns are categories: the child's row gives only the identity and identifiers columns, both
-- read on the ISA basis with the relationship (the row policy) for the school roles.
grant select (id, given_name, family_name, date_of_birth, upn, merged_into) on public.children to ${RLS_ROLE};
grant select on public.ehas, public.action_plans, public.plan_actions to ${RLS_ROLE};
-- The directory (practitioners' contact, organisations' names) is not child data.
grant select (id, organisation_id, display_name, email, phone) on public.practitioners to ${RLS_ROLE};
grant select (id, name, kind) on public.organisations to ${RLS_ROLE};

${POLICED_TABLES.map((t) => `drop policy if exists bench_rls_read on public.${t};`).join('\n')}
create policy bench_rls_read on public.children for select to ${RLS_ROLE} using (bench_rls.may_read(id, 'identity'));
create policy bench_rls_read on public.ehas for select to ${RLS_ROLE} using (bench_rls.may_read(child_id, 'early_help'));
create policy bench_rls_read on public.action_plans for select to ${RLS_ROLE} using (bench_rls.may_read(child_id, 'early_help'));
-- Outside the case team, the actions of the plan the caller's organisation owns.
create policy bench_rls_read on public.plan_actions for select to ${RLS_ROLE}
  using (owning_organisation_id = ${setting(RLS_SETTINGS.organisation)}::uuid and bench_rls.may_read(child_id, 'early_help'));
${POLICED_TABLES.map((t) => `alter table public.${t} enable row level security;`).join('\n')}
`;

const TEARDOWN = `
${POLICED_TABLES.map((t) => `alter table public.${t} disable row level security;`).join('\n')}
${POLICED_TABLES.map((t) => `drop policy if exists bench_rls_read on public.${t};`).join('\n')}
drop schema if exists bench_rls cascade;
do $$ begin
  if exists (select from pg_roles where rolname = '${RLS_ROLE}') then
    execute 'drop owned by ${RLS_ROLE}';
    -- The role is the cluster's: another bench database may still grant it something.
    begin execute 'drop role ${RLS_ROLE}'; exception when dependent_objects_still_exist then null; end;
  end if;
end $$;
`;

function connect(url: string) {
  const { url: u, path } = postgresSocket(url);
  return postgres(u, { max: 1, path, onnotice: () => {} });
}

/** Creates (again) the rules, the decision function, the grants and the policies, and enables row security. */
export async function setupRls(url: string): Promise<void> {
  const sql = connect(url);
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(SETUP);
      await tx`truncate bench_rls.rules`;
      for (const r of ruleRows())
        await tx`insert into bench_rls.rules values (${r.role}, ${r.purpose}, ${r.kinds}, ${tx.json(r.reads)})`;
    });
  } finally {
    await sql.end();
  }
}

/** Leaves the hub's tables as they were: row security off, no policies, no grants, no bench_rls schema. */
export async function teardownRls(url: string): Promise<void> {
  const sql = connect(url);
  try {
    await sql.begin((tx) => tx.unsafe(TEARDOWN));
  } finally {
    await sql.end();
  }
}

/** A UPN of a child the organisation has no involvement with. */
export async function upnOfAnotherSchoolsPupil(url: string, organisationId: string): Promise<string> {
  const sql = connect(url);
  try {
    const [other] = await sql<{ upn: string }[]>`
      select c.upn from children c where c.upn is not null and not exists (select 1 from involvements i
        where i.child_id = c.id and i.organisation_id = ${organisationId}) limit 1`;
    if (!other) throw new Error(`self-check: every pupil with a UPN is involved with ${organisationId}`);
    return other.upn;
  } finally {
    await sql.end();
  }
}

class RolledBack extends Error {}

/**
 * That the policies are the rule, not a fast path: as the reader, in one transaction rolled back,
 * a consented pupil of `organisationId` is readable with its EHA; then under another organisation,
 * a purpose school staff may not state, a withdrawn consent (the child without the EHA), a
 * safeguarding override naming the school (the EHA again), and a roll that has ended (nothing).
 * Throws naming the first case that does not hold.
 */
export async function selfCheckRls(url: string, organisationId: string, role: Role): Promise<void> {
  const sql = connect(url);
  try {
    await sql
      .begin(async (tx) => {
        const [pupil] = await tx<{ child: string; other: string }[]>`
          select i.child_id as child, (select o.id from organisations o where o.kind = 'school' and o.id <> ${organisationId}
              and not exists (select 1 from involvements j where j.child_id = i.child_id and j.organisation_id = o.id) limit 1) as other
          from involvements i join ehas e on e.child_id = i.child_id
          where i.organisation_id = ${organisationId} and i.kind = 'on_roll' and i.ends_at is null
            and exists (select 1 from consents c where c.child_id = i.child_id and 'early_help' = any (c.categories))
          limit 1`;
        if (!pupil) throw new Error(`self-check: no pupil of ${organisationId} with an EHA and a consent`);
        const seen = async (org: string, purpose: string) => {
          await tx.unsafe(`set local role ${RLS_ROLE}`);
          await tx`select set_config(${RLS_SETTINGS.organisation}, ${org}, true), set_config(${RLS_SETTINGS.role}, ${role}, true),
            set_config(${RLS_SETTINGS.purpose}, ${purpose}, true)`;
          const [row] = await tx<{ child: number; eha: number }[]>`
            select (select count(*)::int from children where id = ${pupil.child}) as child,
                   (select count(*)::int from ehas where child_id = ${pupil.child}) as eha`;
          await tx`reset role`;
          return `${row!.child}/${Math.min(row!.eha, 1)}`;
        };
        const expect = async (what: string, got: Promise<string>, want: string) => {
          const value = await got;
          if (value !== want) throw new Error(`self-check: ${what}: child/EHA visible ${value}, expected ${want}`);
        };
        await expect('consented pupil', seen(organisationId, 'direct_support'), '1/1');
        await expect('another school', seen(pupil.other, 'direct_support'), '0/0');
        await expect('a purpose the role may not state', seen(organisationId, 'audit'), '0/0');
        await tx`update consents set withdrawn_at = now() - interval '1 minute' where child_id = ${pupil.child}`;
        await expect('consent withdrawn', seen(organisationId, 'direct_support'), '1/0');
        await tx`insert into safeguarding_overrides (child_id, categories, justification, declared_by_subject,
            declared_by_organisation_id, declared_by_role, declared_at, expires_at, recipient_organisation_ids)
          values (${pupil.child}, '{early_help}', 'self-check', 'self-check', ${organisationId}, 'school_dsl',
            now() - interval '1 minute', now() + interval '1 hour', ${[organisationId]}::uuid[])`;
        await expect('override naming the school', seen(organisationId, 'direct_support'), '1/1');
        await tx`update involvements set ends_at = now() - interval '1 minute'
          where child_id = ${pupil.child} and organisation_id = ${organisationId} and kind = 'on_roll'`;
        await expect('roll ended', seen(organisationId, 'direct_support'), '0/0');
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
  } finally {
    await sql.end();
  }
}
