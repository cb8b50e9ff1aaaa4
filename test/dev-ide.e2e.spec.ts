/**
 * The development GraphQL IDE (Ruru from its npm package) with the demo personas' tokens one click
 * away, and its absence from a hub started without it (production).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevIssuer } from '../src/auth/dev-issuer';
import { trustRegistry } from '../src/auth/trust-registry';
import { createTokenVerifier } from '../src/auth/verify-token';
import { createHub, type Hub } from '../src/server/hub';
import { createServices } from '../src/server/services';
import { systemClock } from '../src/shared/clock';
import { silentLogger } from '../src/shared/logger';
import { DEMO_PERSONAS, seedDemoCity } from '../seeds/demo-city';
import { createTestDatabase, type TestDatabase } from './support/database';

describe('development GraphQL IDE', () => {
  let database: TestDatabase;
  const hubs: Hub[] = [];
  let dev: string;
  let prod: string;
  const screener = DEMO_PERSONAS.find((p) => p.subject === 'demo-screener')!;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database.db);
    const issuer = await loadDevIssuer(null, 'urn:early-help-hub:dev');
    const services = createServices({ database, clock: systemClock, logger: silentLogger });
    const verifyToken = createTokenVerifier({ registry: trustRegistry([issuer.trusted]), audience: 'early-help-hub' });
    const devIde = [
      {
        subject: screener.subject,
        label: screener.label,
        role: screener.role,
        token: await issuer.sign({
          role: screener.role,
          org: screener.organisationId,
          sub: screener.subject,
          audience: 'early-help-hub',
        }),
      },
    ];
    const withIde = await createHub({ services, verifyToken, devIde, ws: false, drainIdleGraceMs: 50 });
    const without = await createHub({ services, verifyToken, ws: false, drainIdleGraceMs: 50 });
    hubs.push(withIde, without);
    dev = await withIde.listen(0);
    prod = await without.listen(0);
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
    await database.destroy();
  });

  it('lists the personas, each a link to the IDE', async () => {
    const page = await (await fetch(`${dev}/graphiql`)).text();
    expect(page).toContain(`<a href="/graphiql/demo-screener">${screener.label}</a>`);
    expect(await (await fetch(`${dev}/`)).text()).toContain('href="/graphiql"');
  });

  it('opens Ruru with the persona’s token in the headers, its assets served from the package (no CDN), and the token works', async () => {
    const res = await fetch(`${dev}/graphiql/demo-screener`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'unsafe-inline'/);
    const html = await res.text();
    expect(html).not.toMatch(/(src|href)="https?:/);
    const headers = /Bearer ([\w-]+\.[\w-]+\.[\w-]+)/.exec(html);
    expect(headers).not.toBeNull();
    const script = /src="(\/graphiql\/static\/[^"]+\.js)"|href="(\/graphiql\/static\/ruru\.js)"/.exec(html);
    expect(script).not.toBeNull();
    expect((await fetch(`${dev}${script![1] ?? script![2]}`)).status).toBe(200);
    const me = await fetch(`${dev}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${headers![1]}`,
        'x-purpose-of-use': 'direct_support',
      },
      body: JSON.stringify({ query: '{ me { subject role } }' }),
    });
    expect(((await me.json()) as any).data.me).toEqual({ subject: 'demo-screener', role: 'eh_das_screener' });
  });

  it('does not exist on a hub started without it (production)', async () => {
    expect((await fetch(`${prod}/graphiql`)).status).toBe(404);
    expect(await (await fetch(`${prod}/`)).text()).not.toContain('/graphiql');
  });
});
