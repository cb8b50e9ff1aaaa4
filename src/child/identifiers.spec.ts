import { describe, expect, it } from 'vitest';
import { nhsNumberProblem, upnProblem, withNhsCheckDigit, withUpnCheckLetter } from './identifiers';

describe('NHS number (modulus 11)', () => {
  it.each(['9434765919', '9434765870', '4010232137'])('accepts %s', (n) => expect(nhsNumberProblem(n)).toBeNull());
  it.each([
    ['9434765918', 'fails the modulus 11 check digit'],
    ['943476591', 'must be exactly 10 digits'],
    ['94347659190', 'must be exactly 10 digits'],
    ['94347x5919', 'must be exactly 10 digits'],
    // Body 123456789 gives check 10, which no valid number can carry.
    ['1234567890', 'fails the modulus 11 check digit'],
  ])('refuses %s: %s', (n, reason) => expect(nhsNumberProblem(n)).toBe(reason));
  it('computes check digits, mapping 11 to 0 and refusing 10', () => {
    expect(withNhsCheckDigit('000000011')).toBe('0000000116'); // sum 5 → 11 − 5 = 6
    expect(withNhsCheckDigit('000000000')).toBe('0000000000'); // sum 0 → 11 → 0
    expect(nhsNumberProblem('0000000000')).toBeNull();
    expect(withNhsCheckDigit('123456789')).toBeNull();
  });
});

describe('UPN', () => {
  it.each(['B801200005001', withUpnCheckLetter('80120000500A'), withUpnCheckLetter('938456721234')])(
    'accepts %s',
    (u) => expect(upnProblem(u)).toBeNull(),
  );
  it.each([
    ['A801200005001', 'fails the check letter'],
    ['B80120000500', 'must be a check letter, 11 digits and a final digit or letter'],
    ['b801200005001', 'must be a check letter, 11 digits and a final digit or letter'],
    ['B8012000050011', 'must be a check letter, 11 digits and a final digit or letter'],
    ['B80120000500I', 'has a final letter that UPNs do not use'],
  ])('refuses %s: %s', (u, reason) => expect(upnProblem(u)).toBe(reason));
});
