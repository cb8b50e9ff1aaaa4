import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, productionTrustRefusal } from './config';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(4000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PGLITE_DATA_DIR).toBe('./.data/pglite');
    expect(config.SEED_DEMO).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['NODE_ENV', 'staging'],
    ['SEED_DEMO', 'maybe'],
    ['SHUTDOWN_GRACE_MS', '-5'],
  ])('refuses %s=%s with one line naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`Invalid configuration: ${name} `)).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('never seeds the demo city in production: off by default, and refused when asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).SEED_DEMO).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' })).toThrow(
      /^Invalid configuration: SEED_DEMO cannot be true when NODE_ENV=production/,
    );
    expect(loadConfig({ NODE_ENV: 'development' }).SEED_DEMO).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
  });

  it('a production hub needs at least one trusted issuer; elsewhere the development issuer suffices', () => {
    expect(productionTrustRefusal({ NODE_ENV: 'production', TRUST_REGISTRY_FILE: undefined }, 0)).toMatch(
      /^Refusing to start: NODE_ENV=production needs TRUST_REGISTRY_FILE/,
    );
    expect(
      productionTrustRefusal({ NODE_ENV: 'production', TRUST_REGISTRY_FILE: '/etc/hub/registry.json' }, 0),
    ).toMatch(/registry \/etc\/hub\/registry.json lists no issuer/);
    expect(
      productionTrustRefusal({ NODE_ENV: 'production', TRUST_REGISTRY_FILE: '/etc/hub/registry.json' }, 1),
    ).toBeNull();
    expect(productionTrustRefusal({ NODE_ENV: 'development', TRUST_REGISTRY_FILE: undefined }, 0)).toBeNull();
  });

  it("reads the ages of a young person's own consent (12 with an assessment, 16 without, by default) and refuses them inverted", () => {
    expect(loadConfig({})).toMatchObject({ CONSENT_YOUNG_PERSON_MIN_AGE: 12, CONSENT_YOUNG_PERSON_UNASSISTED_AGE: 16 });
    expect(loadConfig({ CONSENT_YOUNG_PERSON_MIN_AGE: '13', CONSENT_YOUNG_PERSON_UNASSISTED_AGE: '13' })).toMatchObject(
      { CONSENT_YOUNG_PERSON_MIN_AGE: 13, CONSENT_YOUNG_PERSON_UNASSISTED_AGE: 13 },
    );
    expect(() => loadConfig({ CONSENT_YOUNG_PERSON_MIN_AGE: '14', CONSENT_YOUNG_PERSON_UNASSISTED_AGE: '13' })).toThrow(
      /CONSENT_YOUNG_PERSON_UNASSISTED_AGE/,
    );
    expect(() => loadConfig({ CONSENT_YOUNG_PERSON_MIN_AGE: 'twelve' })).toThrow(ConfigError);
  });

  it('reads a postgres URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).DATABASE_URL).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
  });
});

describe('loadConfig: hardening variables', () => {
  it('bounds the clock skew to 60 s and reads the CORS origins list', () => {
    expect(() => loadConfig({ JWT_CLOCK_SKEW_SECONDS: '120' })).toThrow(
      /^Invalid configuration: JWT_CLOCK_SKEW_SECONDS /,
    );
    const config = loadConfig({ CORS_ORIGINS: 'https://dpo.example.test, https://other.example.test' });
    expect(config.CORS_ORIGINS).toEqual(['https://dpo.example.test', 'https://other.example.test']);
    expect(loadConfig({}).MAX_QUERY_DEPTH).toBe(12);
    expect(() => loadConfig({ BODY_LIMIT: 'lots' })).toThrow(/^Invalid configuration: BODY_LIMIT /);
  });

  it('reads the trusted proxy hops: none by default, a hop count, or addresses and subnets', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/^Invalid configuration: TRUST_PROXY /);
  });

  it('bounds token lifetimes (24 h by default) and the database connect timeout (5 s by default)', () => {
    expect(loadConfig({}).JWT_MAX_LIFETIME_SECONDS).toBe(86_400);
    expect(loadConfig({ JWT_MAX_LIFETIME_SECONDS: '3600' }).JWT_MAX_LIFETIME_SECONDS).toBe(3_600);
    expect(() => loadConfig({ JWT_MAX_LIFETIME_SECONDS: '31536000' })).toThrow(
      /^Invalid configuration: JWT_MAX_LIFETIME_SECONDS /,
    );
    expect(loadConfig({}).DATABASE_CONNECT_TIMEOUT_SECONDS).toBe(5);
    expect(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_SECONDS: '0' })).toThrow(
      /^Invalid configuration: DATABASE_CONNECT_TIMEOUT_SECONDS /,
    );
  });
});
