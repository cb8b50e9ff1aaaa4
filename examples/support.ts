/**
 * What every example shares: where the hub is (HUB_URL), whose token (HUB_TOKEN, or a development
 * token minted for a demo persona with the key `npm start` trusts), and a runner that prints a
 * failure as one line (code, field, request id) and exits non-zero.
 */
import { HubClient, HubClientError, type HubPurpose } from '../src/client';

/** The hub's GraphQL endpoint: HUB_URL, default the local `npm start`. */
export function hubUrl(): string {
  return process.env.HUB_URL ?? 'http://127.0.0.1:4000/graphql';
}

/**
 * The persona's token: from HUB_TOKENS (a JSON object of persona → token, for the journeys that
 * act as several people), else HUB_TOKEN, else a development token for the demo persona (needs the
 * hub's DEV_KEYS_DIR).
 */
export async function hubToken(personaSubject: string): Promise<string> {
  if (process.env.HUB_TOKENS) {
    const token = (JSON.parse(process.env.HUB_TOKENS) as Record<string, string>)[personaSubject];
    if (token) return token;
  }
  if (process.env.HUB_TOKEN) return process.env.HUB_TOKEN;
  // Loaded only when minting: a partner's own script needs none of this.
  const [{ loadConfig }, { loadDevIssuer }] = await Promise.all([
    import('../src/config/config'),
    import('../src/auth/dev-issuer'),
  ]);
  const persona = await demoPersona(personaSubject);
  const config = loadConfig();
  const issuer = await loadDevIssuer(config.DEV_KEYS_DIR, config.DEV_ISSUER);
  return issuer.sign({
    role: persona.role,
    org: persona.organisationId,
    sub: persona.subject,
    audience: config.JWT_AUDIENCE,
    expiresIn: '1h',
  });
}

/** A client for the persona (or HUB_TOKEN), with the purpose of use the example states. */
export async function connect(personaSubject: string, purpose: HubPurpose): Promise<HubClient> {
  return new HubClient({
    url: hubUrl(),
    token: await hubToken(personaSubject),
    purpose,
    headers: { 'x-client-name': 'ehh-example' },
  });
}

/** A persona of the demo city (seeds/demo-city.ts). */
export async function demoPersona(subject: string) {
  const { DEMO_PERSONAS } = await import('../seeds/demo-city');
  const persona = DEMO_PERSONAS.find((p) => p.subject === subject);
  if (!persona) throw new Error(`no demo persona ${subject}`);
  return persona;
}

/** An NHS number as printed by the examples: the last three digits only. */
export const masked = (value: string) => `*******${value.slice(-3)}`;

/** Runs an example: a thrown error becomes one line on stderr and exit code 1. */
export function run(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof HubClientError) {
      const details = [
        error.field && `field ${error.field}`,
        error.category && `category ${error.category}`,
        error.requestId && `request ${error.requestId}`,
      ]
        .filter(Boolean)
        .join(', ');
      console.error(`${name}: ${error.code}: ${error.message}${details ? ` (${details})` : ''}`);
    } else {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exitCode = 1;
  });
}
