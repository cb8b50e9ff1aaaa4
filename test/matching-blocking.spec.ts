import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childFamilyNameKey, childPostcodeDistrict, children } from '../schema';
import { rowsOf } from '../src/db';
import { matchKey } from '../src/child/identifiers';
import { blockedCandidates } from '../src/matching/matching.repository';
import { findProbableMatches } from '../src/matching/matcher';
import { phoneticKey, postcodeDistrict } from '../src/matching/strings';
import { createTestDatabase, type TestDatabase } from './support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.destroy();
});

async function child(
  givenName: string,
  familyName: string,
  dateOfBirth: string,
  postcode: string | null,
  extra: Partial<typeof children.$inferInsert> = {},
): Promise<string> {
  const [row] = await db.db
    .insert(children)
    .values({
      givenName,
      familyName,
      dateOfBirth,
      postcode,
      matchKey: matchKey({ givenName, familyName, date: dateOfBirth, postcode }),
      ...extra,
    })
    .returning({ id: children.id });
  return row!.id;
}

describe('blocking in SQL', () => {
  it('the database computes the same phonetic key and district as the scorer', async () => {
    const names = [
      'Price',
      'Pfister',
      "O'Neill",
      'Smith-Jones',
      'Ashcraft',
      'Tymczak',
      'Lloyd',
      'Aaronson',
      'Xu',
      'Okafor',
      'Hussain',
      'Bhattacharya',
    ];
    const postcodes = ['NG1 1AA', 'LE16 9AB', 'SW1A 1AA', 'M1 1AE'];
    for (const [i, name] of names.entries()) await child('Test', name, '2011-01-01', postcodes[i % postcodes.length]!);
    const rows = rowsOf<{ family_name: string; postcode: string; key: string; district: string }>(
      await db.db.execute(
        sql`select family_name, postcode, ${childFamilyNameKey} as key, ${childPostcodeDistrict} as district from ${children} where date_of_birth = '2011-01-01'`,
      ),
    );
    expect(rows).toHaveLength(names.length);
    for (const row of rows) {
      expect(row.key).toBe(phoneticKey(row.family_name));
      expect(row.district).toBe(postcodeDistrict(row.postcode));
    }
  });

  it('finds a record by date of birth, swapped date, district + family name, or family name + month of birth; not a merged one', async () => {
    const id = await child('Jonathan', 'Price', '2016-04-09', 'LE1 6ZZ', { gender: 'male' });
    const merged = await child('Jonathan', 'Price', '2016-04-09', 'LE1 6ZZ');
    await db.db.execute(sql`update ${children} set merged_into = ${id} where id = ${merged}`);
    const ids = async (who: Parameters<typeof blockedCandidates>[1]) =>
      (await blockedCandidates(db.db, who)).map((c) => c.id);
    expect(await ids({ givenName: 'Jon', familyName: 'Smith', dateOfBirth: '2016-04-09' })).toEqual([id]);
    expect(await ids({ givenName: 'Jon', familyName: 'Price', dateOfBirth: '2016-09-04' })).toEqual([id]);
    expect(
      await ids({ givenName: 'Jon', familyName: 'Pryce', dateOfBirth: '2015-04-09', postcode: 'LE1 2AB' }),
    ).toEqual([id]);
    expect(await ids({ givenName: 'Jon', familyName: 'Price', dateOfBirth: '2016-04-30', postcode: 'M1 1AE' })).toEqual(
      [id],
    );
    expect(await ids({ givenName: 'Jon', familyName: 'Price', dateOfBirth: '2016-05-01', postcode: 'M1 1AE' })).toEqual(
      [],
    );
    expect(await ids({ givenName: 'Jon', familyName: 'Pryce', dateOfBirth: '2016-12-31', postcode: 'M1 1AE' })).toEqual(
      [],
    );
  });

  it('scores the blocked candidates: a nickname goes to review with its explanation, a twin does not', async () => {
    const jon = await findProbableMatches(db.db, {
      givenName: 'Jon',
      familyName: 'Price',
      dateOfBirth: '2016-04-09',
      postcode: 'LE1 6ZZ',
      gender: 'male',
    });
    expect(jon.band).toBe('review');
    expect(jon.candidates[0]!.fields.find((f) => f.field === 'givenName')).toMatchObject({ level: 'nickname' });
    const twin = await findProbableMatches(db.db, {
      givenName: 'Olivia',
      familyName: 'Price',
      dateOfBirth: '2016-04-09',
      postcode: 'LE1 6ZZ',
      gender: 'female',
    });
    expect(twin).toEqual({ band: 'none', candidates: [] });
  });
});

describe('the referral path', () => {
  it('offers scored candidates for EH DAS screening without matching on them', async () => {
    const { ChildService } = await import('../src/child/child.service');
    const { fixedClock } = await import('../src/shared/clock');
    const service = new ChildService({ db: db.db, clock: fixedClock('2026-11-26T12:00:00Z') });
    const id = await child('Elizabeth', 'Marchbanks', '2017-03-21', 'LE2 4RT');
    const beth = service.validate({
      givenName: 'Beth',
      familyName: 'Marchbanks',
      dateOfBirth: '2017-03-21',
      postcode: 'LE2 4RT',
    });
    const found = await db.db.transaction((tx) => service.matchQuietly(tx, beth));
    expect(found.child).toBeNull();
    expect(found.candidates).toEqual([id]);
    const stranger = service.validate({
      givenName: 'Beth',
      familyName: 'Quorndon',
      dateOfBirth: '2012-07-02',
      postcode: 'NG3 1AA',
    });
    expect((await db.db.transaction((tx) => service.matchQuietly(tx, stranger))).candidates).toEqual([]);
  });
});
