import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config';
import { attemptedChildId, auditIdentifierKeyFromConfig } from './attempt-id';

describe('the key under which unheld identifiers are audited', () => {
  it('is AUDIT_IDENTIFIER_KEY when set, and at least 32 characters', () => {
    const key = 'k'.repeat(40);
    expect(auditIdentifierKeyFromConfig(loadConfig({ AUDIT_IDENTIFIER_KEY: key }))).toBe(key);
    expect(() => loadConfig({ AUDIT_IDENTIFIER_KEY: 'short' })).toThrow(
      /^Invalid configuration: AUDIT_IDENTIFIER_KEY /,
    );
  });

  it('is required in production', () => {
    expect(() => auditIdentifierKeyFromConfig(loadConfig({ NODE_ENV: 'production' }))).toThrow(
      /AUDIT_IDENTIFIER_KEY is required in production/,
    );
  });

  it('outside production is generated once beside the development keys and kept across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehh-idkey-'));
    const first = auditIdentifierKeyFromConfig(loadConfig({ DEV_KEYS_DIR: dir }));
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dir, 'audit-identifier.key'), 'utf8').trim()).toBe(first);
    expect(auditIdentifierKeyFromConfig(loadConfig({ DEV_KEYS_DIR: dir }))).toBe(first);
  });

  it('hashes an identifier to a UUID that differs per key and never contains the identifier', () => {
    const a = attemptedChildId('a'.repeat(32), ['9434765919']);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(attemptedChildId('a'.repeat(32), ['9434765919'])).toBe(a);
    expect(attemptedChildId('b'.repeat(32), ['9434765919'])).not.toBe(a);
  });
});
