import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

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
    try { loadConfig({ [name]: value }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`Invalid configuration: ${name} `)).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('reads a postgres URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).DATABASE_URL)
      .toBe('postgres://postgres@127.0.0.1:5432/test');
  });
});

describe('loadConfig: hardening variables', () => {
  it('bounds the clock skew to 60 s and reads the CORS origins list', () => {
    expect(() => loadConfig({ JWT_CLOCK_SKEW_SECONDS: '120' })).toThrow(/^Invalid configuration: JWT_CLOCK_SKEW_SECONDS /);
    const config = loadConfig({ CORS_ORIGINS: 'https://dpo.example.test, https://other.example.test' });
    expect(config.CORS_ORIGINS).toEqual(['https://dpo.example.test', 'https://other.example.test']);
    expect(loadConfig({}).MAX_QUERY_DEPTH).toBe(12);
    expect(() => loadConfig({ BODY_LIMIT: 'lots' })).toThrow(/^Invalid configuration: BODY_LIMIT /);
  });
});
