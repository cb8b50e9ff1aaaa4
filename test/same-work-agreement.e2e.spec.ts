/**
 * The benchmark's same-work reference (PostGraphile with row-level security, bench/servers/
 * rls-policies.ts) is only a fair comparison if its policies decide what the hub decides. Both are
 * generated from the same permission data; this checks that they agree, cell by cell: every role
 * whose relationship is its organisation's × every purpose it may state × a child in each state
 * of relationship (in force, ended, not yet begun, none), consent (in force for the organisation's
 * kind or for the organisation itself, for another purpose, withdrawn, expired, not yet begun) and
 * safeguarding override (in force, expired) × every data category — the policy function against
 * the hub's AccessDecider. PostgreSQL only: the policies are plpgsql under a role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupRls, teardownRls, RLS_SETTINGS } from '../bench/servers/rls-policies';
import { DATA_CATEGORIES, type DataCategory } from '../src/access/categories';
import type { Purpose } from '../src/access/purposes';
import { permissionFor } from '../src/access/permissions';
import { kindsForPurpose } from '../src/access/relationship-kinds';
import { ROLE_PURPOSES } from '../src/access/role-purposes';
import type { Role } from '../src/access/roles';
import { ORGANISATION_KIND_ROLES, type OrganisationKind } from '../src/access/organisation-roles';
import { contextFor } from '../src/gateway/authenticate';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { testServerUrl } from './support/database';
import { rowsOf } from '../src/db';
import { sql } from 'drizzle-orm';

const CATEGORIES: DataCategory[] = [...DATA_CATEGORIES];
const HOUR = 3_600_000;

/** The (role, purpose) pairs the reference expresses: relationships scoped to the organisation. */
const CELLS = (Object.entries(ROLE_PURPOSES) as [Role, readonly Purpose[]][]).flatMap(([role, purposes]) =>
  purposes
    .filter((purpose) => permissionFor(role, purpose).relationship?.scope === 'organisation')
    .map((purpose) => ({ role, purpose })),
);

describe.skipIf(!testServerUrl)('the same-work reference decides what the hub decides', () => {
  let t: TestHub;
  let f: Fixture;
  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    await setupRls(t.database.url!);
  }, 60_000);
  afterAll(async () => {
    if (t?.database.url) await teardownRls(t.database.url);
    await t?.close();
  });

  it('covers the roles the school lookup is compared on', () => {
    expect(CELLS.map((c) => c.role)).toEqual(expect.arrayContaining(['school_dsl', 'school_staff']));
  });

  for (const { role, purpose } of CELLS) {
    it(`${role} for ${purpose}: every relationship × consent × override × category agrees`, async () => {
      const kind = (Object.entries(ORGANISATION_KIND_ROLES) as [OrganisationKind, readonly Role[]][]).find(
        ([, roles]) => roles.includes(role),
      )![0];
      const org = await f.org(`agree-${role}-${purpose}`, kind);
      const relationship = kindsForPurpose(permissionFor(role, purpose).relationship!.kinds, purpose)[0]!;
      const otherPurpose = ROLE_PURPOSES[role].find((p) => p !== purpose) ?? 'service_planning';
      const now = Date.now();
      const consent = (extra: Partial<Parameters<Fixture['consent']>[1]> = {}) => ({
        organisationKinds: [kind],
        categories: CATEGORIES,
        purposes: [purpose],
        ...extra,
      });
      const cases: Record<string, (child: string) => Promise<unknown>> = {
        'related, no consent': async () => {},
        'related, consent for its kind': (c) => f.consent(c, consent()),
        'related, consent naming it': (c) => f.consent(c, consent({ organisationKinds: [], organisationIds: [org] })),
        'related, consent for another purpose': (c) => f.consent(c, consent({ purposes: [otherPurpose] })),
        'related, consent withdrawn': (c) => f.consent(c, consent({ withdrawnAt: new Date(now - HOUR) })),
        'related, consent expired': (c) => f.consent(c, consent({ expiresAt: new Date(now - HOUR) })),
        'related, consent not yet begun': (c) => f.consent(c, consent({ startsAt: new Date(now + HOUR) })),
        'related, override in force': (c) =>
          f.override(c, { categories: CATEGORIES, recipientOrganisationIds: [org], expiresAt: new Date(now + HOUR) }),
        'related, override expired': (c) =>
          f.override(c, {
            categories: CATEGORIES,
            recipientOrganisationIds: [org],
            declaredAt: new Date(now - 2 * HOUR),
            expiresAt: new Date(now - HOUR),
          }),
      };
      const children: { name: string; id: string }[] = [];
      for (const [name, arrange] of Object.entries(cases)) {
        const child = await f.child();
        await f.involve(child.id, org, relationship);
        await arrange(child.id);
        children.push({ name, id: child.id });
      }
      const unrelated = await f.child();
      await f.consent(unrelated.id, consent());
      children.push({ name: 'unrelated, consent for its kind', id: unrelated.id });
      const ended = await f.child();
      await f.involve(ended.id, org, relationship, { endedOn: '2021-01-01' });
      await f.consent(ended.id, consent());
      children.push({ name: 'relationship ended, consent for its kind', id: ended.id });

      const ctx = contextFor(
        t.services,
        { subject: `agree-${role}`, organisationId: org, role, clientId: null, issuer: 'test' },
        purpose,
      );
      const ids = children.map((c) => c.id);
      const policy = rowsOf<{ child: string; category: string; allowed: boolean }>(
        await t.database.db.transaction(async (tx) => {
          await tx.execute(sql`select set_config(${RLS_SETTINGS.organisation}, ${org}, true),
            set_config(${RLS_SETTINGS.role}, ${role}, true), set_config(${RLS_SETTINGS.purpose}, ${purpose}, true)`);
          return tx.execute(sql`select c.child::text as child, k.category, bench_rls.may_read(c.child, k.category) as allowed
            from unnest(${`{${ids.join(',')}}`}::uuid[]) as c(child)
            cross join unnest(${`{${CATEGORIES.join(',')}}`}::text[]) as k(category)`);
        }),
      );
      const disagreements: string[] = [];
      let granted = 0;
      for (const row of policy) {
        const hub = (await ctx.access.decide(row.child, row.category as DataCategory)).allowed;
        if (hub) granted++;
        if (hub !== row.allowed)
          disagreements.push(
            `${children.find((c) => c.id === row.child)!.name} × ${row.category}: hub ${hub}, policy ${row.allowed}`,
          );
      }
      expect(policy).toHaveLength(children.length * CATEGORIES.length);
      expect(disagreements, disagreements.join('\n')).toEqual([]);
      // Not a vacuous agreement: the hub grants something in every cell of the matrix that has a relationship.
      expect(granted).toBeGreaterThan(0);
    });
  }
});
