/**
 * A safeguarding override opens its categories only to the organisations it names — by default
 * the declaring organisation and the council's Early Help service — not to every organisation that
 * relates to the child. The recipients are validated, stored with the override, and shown to the
 * DPO reviewing it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyMembers, householdLinks, safeguardingOverrides } from '../schema';
import { migrationsFolder } from '../src/db';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const DECLARE = `mutation ($input: DeclareSafeguardingOverrideInput!) { declareSafeguardingOverride(input: $input) { id categories recipientOrganisationIds inForce } }`;
const REVOKE = `mutation ($id: ID!) { revokeSafeguardingOverride(id: $id) { id inForce } }`;
const FAMILY = `query ($id: ID!) { child(id: $id) { id family { relation } } }`;
const REVIEW = `query { overridesAwaitingReview(first: 200) { nodes { id declaredByOrganisationId recipientOrganisationIds } } }`;
const JUSTIFICATION = 'Seeking consent from the household would alert the adult who poses the risk of harm.';

describe('safeguarding overrides name their recipients', () => {
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let health: string;
  let council: string;
  let child: string;
  let dsl: string;
  let visitor: string;
  let screener: string;
  let dpo: string;

  const input = (extra: Record<string, unknown> = {}) => ({
    childId: child,
    categories: ['family'],
    justification: JUSTIFICATION,
    expiresAt: new Date(Date.now() + 24 * 3_600_000).toISOString(),
    ...extra,
  });
  const count = async () =>
    (await t.database.db.select().from(safeguardingOverrides).where(eq(safeguardingOverrides.childId, child))).length;
  const code = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    res.errors?.[0]?.extensions?.code ?? null;

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    health = await f.org('health', 'health');
    council = await f.org('council', 'council_early_help');
    child = (await f.child()).id;
    await f.involve(child, school, 'on_roll');
    await f.involve(child, health, 'caseload');
    await f.involve(child, council, 'screening');
    const [parent] = await t.database.db
      .insert(familyMembers)
      .values({ givenName: 'ParentSynthetic', familyName: 'Example' })
      .returning();
    await t.database.db
      .insert(householdLinks)
      .values({ childId: child, relation: 'parent', familyMemberId: parent!.id, hasParentalResponsibility: true });
    dsl = await t.token({ role: 'school_dsl', org: school });
    visitor = await t.token({ role: 'health_visitor', org: health });
    screener = await t.token({ role: 'eh_das_screener', org: council });
    dpo = await t.token({ role: 'dpo', org: council });
  });
  afterAll(() => t.close());

  it("a school's override on family opens it to the school and the council, not to the health visitor", async () => {
    for (const token of [dsl, visitor, screener])
      expect(code(await t.post(token, FAMILY, { id: child }))).toBe('CONSENT_REQUIRED');
    const res = await t.post(dsl, DECLARE, { input: input() });
    expect(res.errors).toBeUndefined();
    const declared = res.data.declareSafeguardingOverride;
    expect([...declared.recipientOrganisationIds].sort()).toEqual([school, council].sort());
    const [row] = await t.database.db
      .select()
      .from(safeguardingOverrides)
      .where(eq(safeguardingOverrides.id, declared.id));
    expect([...row!.recipientOrganisationIds].sort()).toEqual([school, council].sort());

    expect((await t.post(dsl, FAMILY, { id: child })).errors).toBeUndefined();
    expect((await t.post(screener, FAMILY, { id: child })).errors).toBeUndefined();
    const other = await t.post(visitor, FAMILY, { id: child });
    expect(other.data.child.family).toBeNull();
    expect(code(other)).toBe('CONSENT_REQUIRED');

    // The DPO sees whom it was opened to.
    const review = await t.post(dpo, REVIEW, {}, 'audit');
    expect(review.errors).toBeUndefined();
    const seen = review.data.overridesAwaitingReview.nodes.find((n: { id: string }) => n.id === declared.id);
    expect(seen).toMatchObject({ declaredByOrganisationId: school });
    expect([...seen.recipientOrganisationIds].sort()).toEqual([school, council].sort());
    expect((await t.post(dsl, REVOKE, { id: declared.id })).errors).toBeUndefined();
  });

  it('opens the category to the organisations it names, and to no other', async () => {
    const res = await t.post(dsl, DECLARE, { input: input({ recipientOrganisationIds: [health] }) });
    expect(res.errors).toBeUndefined();
    expect(res.data.declareSafeguardingOverride.recipientOrganisationIds).toEqual([health]);
    expect((await t.post(visitor, FAMILY, { id: child })).errors).toBeUndefined();
    expect(code(await t.post(dsl, FAMILY, { id: child }))).toBe('CONSENT_REQUIRED');
    expect(code(await t.post(screener, FAMILY, { id: child }))).toBe('CONSENT_REQUIRED');
    expect((await t.post(dsl, REVOKE, { id: res.data.declareSafeguardingOverride.id })).errors).toBeUndefined();
    expect(code(await t.post(visitor, FAMILY, { id: child }))).toBe('CONSENT_REQUIRED');
  });

  it('refuses recipients that are not partner organisations of the hub, and stores nothing', async () => {
    const cases: unknown[] = [
      ['6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11'],
      [school, 'not-an-id'],
      [],
      Array.from({ length: 51 }, () => school),
    ];
    for (const recipientOrganisationIds of cases) {
      const before = await count();
      const res = await t.post(dsl, DECLARE, { input: input({ recipientOrganisationIds }) });
      expect(res.errors?.[0]?.extensions, JSON.stringify(recipientOrganisationIds).slice(0, 60)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'recipientOrganisationIds',
      });
      expect(await count()).toBe(before);
    }
  });

  it('the migration gives overrides declared before recipients existed the declaring organisation and the council', async () => {
    const older = await f.override(child, {
      categories: ['family'],
      expiresAt: new Date(Date.now() + 3_600_000),
      declaredByOrganisationId: health,
      recipientOrganisationIds: [],
    });
    // Found by what it does, not by its number: migrations are renumbered when branches merge.
    const statements = readdirSync(migrationsFolder)
      .filter((name) => name.endsWith('.sql'))
      .flatMap((name) => readFileSync(join(migrationsFolder, name), 'utf8').split('--> statement-breakpoint'));
    const backfill = statements.find((s) =>
      s.includes('UPDATE "safeguarding_overrides" SET "recipient_organisation_ids"'),
    )!;
    expect(backfill).toBeDefined();
    await t.database.db.execute(sql.raw(backfill));
    const [row] = await t.database.db.select().from(safeguardingOverrides).where(eq(safeguardingOverrides.id, older));
    expect([...row!.recipientOrganisationIds].sort()).toEqual([health, council].sort());
    expect((await t.post(visitor, FAMILY, { id: child })).errors).toBeUndefined();
    expect(code(await t.post(dsl, FAMILY, { id: child }))).toBe('CONSENT_REQUIRED');
  });
});
