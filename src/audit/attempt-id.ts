/**
 * An attempt to reach a child the hub does not hold is still worth a DPO's attention, but the
 * audit must not become a register of identifiers it was never given. Such an attempt is audited
 * under a keyed hash of what was asked for, shaped as a UUID so it fits the audit's child column:
 * the DPO, holding the key, can check whether a given identifier was probed; nobody can read one
 * back from the log.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** HMAC-SHA256 of the normalised description, as an RFC 9562 version 8 (custom) UUID. */
export function attemptedChildId(key: string, description: readonly (string | null | undefined)[]): string {
  const digest = createHmac('sha256', key)
    .update(description.map((part) => part ?? '').join('\u001f'))
    .digest();
  digest[6] = (digest[6]! & 0x0f) | 0x80;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The configured key (AUDIT_IDENTIFIER_KEY). Production must give one: a key made up at start
 * would leave the DPO unable to check a probed identifier against rows written before a restart.
 * Elsewhere one is generated once beside the development keys and kept.
 */
export function auditIdentifierKeyFromConfig(config: {
  AUDIT_IDENTIFIER_KEY?: string;
  NODE_ENV: string;
  DEV_KEYS_DIR: string;
}): string {
  if (config.AUDIT_IDENTIFIER_KEY) return config.AUDIT_IDENTIFIER_KEY;
  if (config.NODE_ENV === 'production') throw new Error('AUDIT_IDENTIFIER_KEY is required in production');
  const file = join(config.DEV_KEYS_DIR, 'audit-identifier.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
