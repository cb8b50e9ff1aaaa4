import { describe, expect, it } from 'vitest';
import { parseTokenArgs, UsageError } from './dev-token-args';

const ORG = '11111111-1111-4111-8111-111111111111';
const PERSONAS = [
  {
    subject: 'demo-screener',
    role: 'eh_das_screener' as const,
    organisationId: '22222222-2222-4222-8222-222222222222',
  },
];

describe('parseTokenArgs', () => {
  it('takes role, org, sub, client and lifetime', () => {
    expect(
      parseTokenArgs(
        ['--role', 'school_dsl', '--org', ORG.toUpperCase(), '--sub', 'u1', '--client', 'mis', '--expires', '30m'],
        PERSONAS,
      ),
    ).toEqual({ role: 'school_dsl', org: ORG, sub: 'u1', clientId: 'mis', expiresIn: '1800s' });
  });

  it('defaults the subject and an 8 hour lifetime', () => {
    expect(parseTokenArgs(['--role', 'dpo', '--org', ORG], PERSONAS)).toEqual({
      role: 'dpo',
      org: ORG,
      sub: 'dev-dpo',
      expiresIn: '28800s',
    });
  });

  it('fills role, org and subject from a persona, and lets flags override them', () => {
    expect(parseTokenArgs(['--persona', 'demo-screener'], PERSONAS)).toMatchObject({
      role: 'eh_das_screener',
      org: PERSONAS[0]!.organisationId,
      sub: 'demo-screener',
    });
    expect(parseTokenArgs(['--persona', 'demo-screener', '--role', 'admin'], PERSONAS)).toMatchObject({
      role: 'admin',
      sub: 'demo-screener',
    });
  });

  it('reads a bare number of seconds as a lifetime, never as a timestamp', () => {
    expect(parseTokenArgs(['--role', 'dpo', '--org', ORG, '--expires', '90'], PERSONAS).expiresIn).toBe('90s');
  });

  it.each<[string[], RegExp]>([
    [['--role', 'superuser', '--org', ORG], /^unknown role "superuser"; one of: school_dsl, /],
    [['--org', ORG], /^--role is required/],
    [['--role', 'dpo'], /^--org is required/],
    [['--role', 'dpo', '--org', 'school-1'], /^--org must be an organisation id \(UUID\), got "school-1"$/],
    [['--persona', 'nobody'], /^unknown persona "nobody"; one of: demo-screener$/],
    [['--role', 'dpo', '--org', ORG, '--expires', 'soon'], /^--expires must look like/],
    [['--role', 'dpo', '--org', ORG, '--expires', '30d'], /^--expires must be between 1 second and 7 days$/],
    [['--role', 'dpo', '--org', ORG, '--expires', '0s'], /^--expires must be between/],
    [['--role', 'dpo', '--org', ORG, '--sub', ' '], /^--sub must not be blank$/],
    [['--role', 'dpo', '--org', ORG, '--colour', 'red'], /^Unknown option '--colour'; usage: /],
    [['--role', 'dpo', '--org', ORG, 'extra'], /usage: /],
  ])('refuses %j with one line', (argv, reason) => {
    let error: unknown;
    try {
      parseTokenArgs(argv, PERSONAS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain('\n');
  });
});
