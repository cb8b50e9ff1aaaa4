/**
 * Arguments of `npm run -s token`: who the development token speaks for. Kept apart from the CLI
 * so the rules (known role, an organisation id, a sane lifetime) are tested without a process.
 */
import { parseArgs } from 'node:util';
import { isRole, ROLES, type Role } from '../access/roles';
import { isUuid } from '../shared/validate';

/** A caller's mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

export interface DevTokenRequest {
  role: Role;
  org: string;
  sub: string;
  clientId?: string;
  /** A jose relative time span, e.g. `8h`, `30m`, `90s`. */
  expiresIn: string;
}

/** A demo persona the CLI can mint for by subject (`--persona demo-screener`). */
export interface PersonaChoice {
  subject: string;
  role: Role;
  organisationId: string;
}

export const TOKEN_USAGE =
  'usage: npm run -s token -- (--role <role> --org <organisationId> | --persona <subject>) [--sub <id>] [--client <id>] [--expires 8h]';

/** `--help`: the usage line, then the roles and the demo personas to choose from. */
export function tokenHelp(personas: readonly PersonaChoice[]): string {
  return [
    TOKEN_USAGE,
    'Prints one development JWT on stdout, signed with the key in DEV_KEYS_DIR that the hub trusts outside production.',
    `  --persona <subject>  a demo persona: ${personas.map((p) => p.subject).join(', ')}`,
    `  --role <role>        one of: ${ROLES.join(', ')}`,
    '  --org <id>           the organisation id (UUID) the token speaks for',
    "  --sub <id>           the token subject (default: the persona's, or dev-<role>)",
    '  --client <id>        client_id, the calling application',
    '  --expires <span>     lifetime: 90s, 30m, 8h (default), 2d; at most 7 days',
  ].join('\n');
}

/** Longest lifetime a development token may ask for: a working day or two, not a standing credential. */
const MAX_LIFETIME_SECONDS = 7 * 24 * 3600;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function parseTokenArgs(argv: readonly string[], personas: readonly PersonaChoice[]): DevTokenRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        role: { type: 'string' },
        org: { type: 'string' },
        sub: { type: 'string' },
        client: { type: 'string' },
        expires: { type: 'string', default: '8h' },
        persona: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; ${TOKEN_USAGE}`);
  }

  let persona: PersonaChoice | undefined;
  if (values.persona !== undefined) {
    persona = personas.find((p) => p.subject === values.persona);
    if (!persona)
      throw new UsageError(`unknown persona "${values.persona}"; one of: ${personas.map((p) => p.subject).join(', ')}`);
  }

  const role = values.role ?? persona?.role;
  if (role === undefined) throw new UsageError(`--role is required (one of: ${ROLES.join(', ')})`);
  if (!isRole(role)) throw new UsageError(`unknown role "${role}"; one of: ${ROLES.join(', ')}`);

  const org = values.org ?? persona?.organisationId;
  if (org === undefined || org === '')
    throw new UsageError('--org is required: the organisation id (UUID) the token speaks for');
  if (!isUuid(org)) throw new UsageError(`--org must be an organisation id (UUID), got "${org}"`);

  const sub = values.sub ?? persona?.subject ?? `dev-${role}`;
  if (sub.trim() === '') throw new UsageError('--sub must not be blank');

  return {
    role,
    org: org.toLowerCase(),
    sub,
    ...(values.client ? { clientId: values.client } : {}),
    expiresIn: parseLifetime(values.expires!),
  };
}

/** `8h`, `30m`, `90s`, `2d` or a number of seconds → a jose time span (always relative). */
function parseLifetime(value: string): string {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!match) throw new UsageError(`--expires must look like 90s, 30m, 8h or 2d, got "${value}"`);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
  if (seconds < 1 || seconds > MAX_LIFETIME_SECONDS)
    throw new UsageError('--expires must be between 1 second and 7 days');
  // A bare number would be read by jose as an absolute timestamp; always pass seconds with a unit.
  return `${seconds}s`;
}
