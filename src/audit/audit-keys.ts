/**
 * The audit log's key: an Ed25519 key that signs checkpoints, and from which the row MAC key is
 * derived (HKDF). It lives in a file (or behind a KMS seam: anything that can `sign`) that the
 * database never holds and its roles cannot read; the public half, as a signed-note verifier key,
 * is all a DPO or an external auditor needs.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface AuditKeys {
  /** The signed-note key name, also the checkpoints' origin line, e.g. `early-help-hub.example/audit`. */
  readonly name: string;
  /** `<name>+<key id hex>+<base64(0x01 ‖ public key)>` (the C2SP signed-note verifier key form). */
  readonly verifierKey: string;
  /** Ed25519 signature over `message`. */
  sign(message: Buffer): Buffer;
  /** The 32-byte key of the per-row MAC. */
  readonly rowMacKey: Buffer;
}

/** Signed-note algorithm byte for Ed25519. */
const ED25519 = 0x01;

function rawPublicKey(key: KeyObject): Buffer {
  // The last 32 bytes of an Ed25519 SubjectPublicKeyInfo are the key itself.
  return (key.export({ type: 'spki', format: 'der' }) as Buffer).subarray(-32);
}

/** The 4-byte key id of a signed-note key: SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[0:4]. */
export function keyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(name)
    .update('\n')
    .update(Buffer.of(ED25519))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function keysFrom(name: string, privateKey: KeyObject): AuditKeys {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the audit signing key must be an Ed25519 key');
  if (/[\s+]/.test(name) || name === '') throw new Error('the audit log name must be non-empty, without spaces or "+"');
  const pub = rawPublicKey(createPublicKey(privateKey));
  const seed = (privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).subarray(-32);
  return {
    name,
    verifierKey: `${name}+${keyId(name, pub).toString('hex')}+${Buffer.concat([Buffer.of(ED25519), pub]).toString('base64')}`,
    sign: (message) => sign(null, message, privateKey),
    rowMacKey: Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(0), 'early-help-hub audit row mac', 32)),
  };
}

/** A fresh key held in memory only (tests). */
export function ephemeralAuditKeys(name = 'early-help-hub.test/audit'): AuditKeys {
  return keysFrom(name, generateKeyPairSync('ed25519').privateKey);
}

/**
 * The key in a PKCS#8 PEM file. `create` (development only) writes a new key when the file is
 * missing; in production a missing key stops start-up, since a new key would orphan every
 * checkpoint already published.
 */
export function loadAuditKeys(file: string, name: string, { create = false } = {}): AuditKeys {
  if (!existsSync(file)) {
    if (!create) throw new Error(`audit signing key file not found: ${file}`);
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return keysFrom(name, createPrivateKey(readFileSync(file)));
}

/** The configured key: created on first use outside production, where it defaults to one beside the development keys. */
export function auditKeysFromConfig(config: {
  AUDIT_SIGNING_KEY_FILE?: string;
  AUDIT_LOG_NAME: string;
  NODE_ENV: string;
  DEV_KEYS_DIR: string;
}): AuditKeys {
  const production = config.NODE_ENV === 'production';
  if (production && !config.AUDIT_SIGNING_KEY_FILE) throw new Error('AUDIT_SIGNING_KEY_FILE is required in production');
  return loadAuditKeys(
    config.AUDIT_SIGNING_KEY_FILE ?? join(config.DEV_KEYS_DIR, 'audit-ed25519.pem'),
    config.AUDIT_LOG_NAME,
    { create: !production },
  );
}
