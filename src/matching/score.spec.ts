import { describe, expect, it } from 'vitest';
import { BlockingIndex, queryKeys, recordKeys } from './blocking';
import { areNameVariants } from './nicknames';
import {
  compareDates,
  compareFamilyNames,
  compareGivenNames,
  comparePostcodes,
  rankCandidates,
  scorePair,
  type MatchPerson,
} from './score';
import { jaroWinkler, phoneticKey, postcodeDistrict, swappedDate } from './strings';

const jonathan: MatchPerson = {
  givenName: 'Jonathan',
  familyName: 'Price',
  dateOfBirth: '2016-04-09',
  postcode: 'LE1 6ZZ',
  gender: 'male',
};

describe('string helpers', () => {
  it('Jaro–Winkler gives the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('', 'abc')).toBe(0);
  });

  it('the phonetic key files sound-alike family names together', () => {
    expect(phoneticKey('Robert')).toBe('r163');
    expect(phoneticKey('Rupert')).toBe('r163');
    expect(phoneticKey('Smith')).toBe(phoneticKey('Smyth'));
    expect(phoneticKey('Pfister')).toBe('p236');
    expect(phoneticKey('')).toBe('000');
  });

  it('postcode district and swapped dates', () => {
    expect(postcodeDistrict('le1 6zz')).toBe('LE1');
    expect(postcodeDistrict('LE16 9AB')).toBe('LE16');
    expect(swappedDate('2016-04-09')).toBe('2016-09-04');
    expect(swappedDate('2016-04-19')).toBeNull();
    expect(swappedDate('2016-04-04')).toBeNull();
  });

  it('nicknames are variants within a family, not of themselves', () => {
    expect(areNameVariants('jon', 'jonathan')).toBe(true);
    expect(areNameVariants('beth', 'elizabeth')).toBe(true);
    expect(areNameVariants('jon', 'jon')).toBe(false);
    expect(areNameVariants('jon', 'beth')).toBe(false);
  });
});

describe('field comparisons', () => {
  it('given names: exact, double name part, nickname, typo, transposition, unrelated', () => {
    expect(compareGivenNames('Jonathan', 'jonathan').level).toBe('exact');
    expect(compareGivenNames('Mary-Jane', 'Mary Jane').level).toBe('exact');
    expect(compareGivenNames('Mary-Jane', 'Mary').level).toBe('hyphen_part');
    expect(compareGivenNames('Jon', 'Jonathan').level).toBe('nickname');
    expect(compareGivenNames('Beth', 'Elizabeth').level).toBe('nickname');
    expect(compareGivenNames('Johnathan', 'Jonathan').level).toBe('nickname');
    expect(compareGivenNames('Jonathon', 'Jonathan').level).toBe('similar');
    expect(compareGivenNames('Mahtew', 'Mathew').level).toBe('similar');
    expect(compareGivenNames('Olivia', 'George').level).toBe('different');
    expect(compareGivenNames(null, 'George')).toEqual({ field: 'givenName', level: 'missing', weight: 0 });
  });

  it('family names: one part of a double-barrelled name agrees', () => {
    expect(compareFamilyNames('Smith-Jones', 'Smith').level).toBe('hyphen_part');
    expect(compareFamilyNames('Jonhson', 'Johnson').level).toBe('similar');
    expect(compareFamilyNames('Smith', 'Smyth').level).toBe('somewhat_similar');
  });

  it('dates: swapped day and month, one digit, adjacent digits transposed', () => {
    expect(compareDates('2016-04-09', '2016-09-04').level).toBe('swapped_day_month');
    expect(compareDates('2016-04-09', '2016-04-08').level).toBe('one_digit');
    expect(compareDates('2016-04-19', '2016-04-91'.replace('91', '19')).level).toBe('exact');
    expect(compareDates('2016-04-12', '2016-04-21').level).toBe('one_digit');
    expect(compareDates('2019-06-30', '2019-06-29').level).toBe('one_digit');
    expect(compareDates('2019-12-31', '2020-01-01').level).toBe('one_digit');
    expect(compareDates('2016-04-09', '2014-11-30').level).toBe('different');
  });

  it('postcodes: exact whatever the spacing, then same district', () => {
    expect(comparePostcodes('LE1 6ZZ', 'le16zz').level).toBe('exact');
    expect(comparePostcodes('LE1 6ZZ', 'LE1 2AB').level).toBe('same_district');
    expect(comparePostcodes('LE1 6ZZ', 'LE4 2AB').level).toBe('different');
  });

  it('agreement weighs positive, disagreement negative, missing nothing', () => {
    const exact = compareGivenNames('Jon', 'Jon').weight;
    const nickname = compareGivenNames('Jon', 'Jonathan').weight;
    const different = compareGivenNames('Jon', 'Priya').weight;
    expect(exact).toBeGreaterThan(nickname);
    expect(nickname).toBeGreaterThan(0);
    expect(different).toBeLessThan(0);
  });
});

describe('scorePair', () => {
  it('the same details link automatically', () => {
    expect(scorePair({ ...jonathan }, jonathan).band).toBe('auto');
  });

  it('a nickname or a typo goes to review, with every field explained', () => {
    const jon = scorePair({ ...jonathan, givenName: 'Jon' }, jonathan);
    expect(jon.band).toBe('review');
    expect(jon.fields.map((f) => f.field)).toEqual([
      'givenName',
      'familyName',
      'dateOfBirth',
      'postcode',
      'sex',
      'nhsNumber',
      'upn',
    ]);
    expect(jon.fields[0]).toMatchObject({ level: 'nickname' });
    expect(jon.score).toBeCloseTo(
      jon.fields.reduce((s, f) => s + f.weight, 0),
      1,
    );
    expect(scorePair({ ...jonathan, givenName: 'Johnathan' }, jonathan).band).toBe('review');
    expect(scorePair({ ...jonathan, dateOfBirth: '2016-09-04' }, jonathan).band).toBe('review');
    expect(scorePair({ ...jonathan, postcode: 'LE4 1AA' }, jonathan).band).toBe('review');
  });

  it('twins (same date of birth and address, different given names) never link', () => {
    const twin = scorePair({ ...jonathan, givenName: 'Olivia', gender: 'female' }, jonathan);
    expect(twin.band).toBe('none');
    expect(twin.rule).toBe('sibling_same_birth_date');
    expect(scorePair({ ...jonathan, givenName: 'Samuel' }, jonathan).band).toBe('none');
  });

  it('traced NHS numbers decide: the same one links, different ones never do', () => {
    const a = { ...jonathan, nhsNumber: '9434765919', nhsNumberTraced: true };
    expect(
      scorePair({ givenName: 'J', familyName: 'Pryce', nhsNumber: '9434765919', nhsNumberTraced: true }, a),
    ).toMatchObject({ band: 'auto', rule: 'traced_nhs_number' });
    expect(scorePair({ ...jonathan, nhsNumber: '9434765870', nhsNumberTraced: true }, a)).toMatchObject({
      band: 'none',
      rule: 'different_traced_nhs_numbers',
    });
  });

  it('given and family names written the wrong way round still compare', () => {
    const swapped = scorePair({ ...jonathan, givenName: 'Price', familyName: 'Jonathan' }, jonathan);
    expect(swapped.fields[0]!.level).toBe('exact_swapped_with_family_name');
    expect(swapped.band).not.toBe('none');
  });

  it('an unrelated child born the same day scores nothing', () => {
    expect(
      scorePair(
        { givenName: 'Priya', familyName: 'Shah', dateOfBirth: jonathan.dateOfBirth, postcode: 'LE5 1AA' },
        jonathan,
      ).band,
    ).toBe('none');
  });
});

describe('ranking and blocking', () => {
  it('two candidates that both reach auto are sent to review', () => {
    const a = { ...jonathan, id: 'a' };
    const b = { ...jonathan, id: 'b' };
    expect(rankCandidates(jonathan, [a, b]).band).toBe('review');
    expect(rankCandidates(jonathan, [a]).band).toBe('auto');
  });

  it('a description finds its record under a swapped date, a move, or a typed date', () => {
    const index = new BlockingIndex<MatchPerson>();
    index.add(jonathan);
    expect(index.candidates({ ...jonathan, dateOfBirth: '2016-09-04', postcode: 'LE9 9ZZ' })).toEqual([jonathan]);
    expect(index.candidates({ ...jonathan, dateOfBirth: '2016-04-08' })).toEqual([jonathan]);
    expect(
      index.candidates({ ...jonathan, familyName: 'Pryce', dateOfBirth: '2015-04-08', postcode: 'LE9 9ZZ' }),
    ).toEqual([]);
    expect(queryKeys(jonathan)).toEqual(expect.arrayContaining(recordKeys(jonathan)));
  });
});
