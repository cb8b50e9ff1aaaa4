/**
 * Checkpoints in the C2SP tlog-checkpoint form, signed as a C2SP signed note with Ed25519 — the
 * format of Go's checksum database, Trillian Tessera and Sigstore's Rekor v2, so their tools and
 * witnesses read it:
 *
 *     <origin>\n<tree size>\n<base64 root hash>\ntime <RFC 3339>\n
 *     \n
 *     — <key name> <base64(4-byte key id ‖ 64-byte signature)>\n
 *
 * The signature covers the text before the blank line. Pure functions: the offline verifier uses
 * them with nothing else of the hub.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { AuditKeys } from './audit-keys';
import { keyId } from './audit-keys';

export interface Checkpoint {
  origin: string;
  treeSize: number;
  /** 32 bytes. */
  rootHash: Buffer;
  time: Date;
}

const SIGNATURE_PREFIX = '\u2014 ';

function checkpointBody(c: Checkpoint): string {
  return `${c.origin}\n${c.treeSize}\n${c.rootHash.toString('base64')}\ntime ${c.time.toISOString()}\n`;
}

export function signCheckpoint(c: Checkpoint, keys: AuditKeys): string {
  if (c.origin !== keys.name) throw new Error('a checkpoint is signed by the key named as its origin');
  const body = checkpointBody(c);
  const [, id] = keys.verifierKey.split('+');
  const signature = Buffer.concat([Buffer.from(id!, 'hex'), keys.sign(Buffer.from(body))]);
  return `${body}\n${SIGNATURE_PREFIX}${keys.name} ${signature.toString('base64')}\n`;
}

export class CheckpointError extends Error {}

/** Parses a verifier key `<name>+<hex id>+<base64(0x01 ‖ key)>`; throws when malformed. */
function parseVerifierKey(vkey: string): { name: string; id: Buffer; publicKey: Buffer } {
  // The base64 key may itself hold '+': only the first two separate fields.
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(vkey.trim());
  if (!match) throw new CheckpointError('malformed verifier key');
  const [, name, idHex, b64] = match as unknown as [string, string, string, string];
  const raw = Buffer.from(b64, 'base64');
  if (raw.length !== 33 || raw[0] !== 0x01)
    throw new CheckpointError('the verifier key is not an Ed25519 signed-note key');
  const publicKey = raw.subarray(1);
  const id = Buffer.from(idHex, 'hex');
  if (!id.equals(keyId(name, publicKey)))
    throw new CheckpointError('the verifier key id does not match its name and key');
  return { name, id, publicKey };
}

/**
 * Checks a signed checkpoint against a verifier key and parses it. Throws CheckpointError when
 * the signature, the key or the form is wrong: an unsigned or mis-signed checkpoint proves nothing.
 */
export function openCheckpoint(note: string, vkey: string): Checkpoint {
  const key = parseVerifierKey(vkey);
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new CheckpointError('not a signed note');
  const body = note.slice(0, split + 1);
  const signatures = note
    .slice(split + 2)
    .split('\n')
    .filter(Boolean);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.publicKey]);
  const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const good = signatures.some((line) => {
    if (!line.startsWith(SIGNATURE_PREFIX)) return false;
    const [name, b64] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (name !== key.name || !b64) return false;
    const sig = Buffer.from(b64, 'base64');
    return (
      sig.length === 68 &&
      sig.subarray(0, 4).equals(key.id) &&
      verify(null, Buffer.from(body), publicKey, sig.subarray(4))
    );
  });
  if (!good) throw new CheckpointError('no valid signature by the verifier key');
  const [origin, size, root, ...extensions] = body.slice(0, -1).split('\n');
  if (origin !== key.name) throw new CheckpointError('the checkpoint is of another log');
  if (!/^\d+$/.test(size ?? '')) throw new CheckpointError('malformed tree size');
  const rootHash = Buffer.from(root ?? '', 'base64');
  if (rootHash.length !== 32) throw new CheckpointError('malformed root hash');
  const time = extensions.find((l) => l.startsWith('time '))?.slice(5);
  return { origin, treeSize: Number(size), rootHash, time: new Date(time ?? 0) };
}
