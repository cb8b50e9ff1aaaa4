/** Opaque keyset cursors: base64url of the last row's sort key. */
import { BadUserInputError } from '../../src/errors';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * The sort keys cursors carry. A key of any other shape was not issued here, and would otherwise
 * reach SQL as a malformed uuid, number or timestamp (an internal error, not the client's).
 */
export const CURSOR_KEY = {
  /** A row id. */
  id: new RegExp(`^${UUID}$`, 'i'),
  /** An audit sequence number. */
  seq: /^[0-9]{1,15}$/,
  /** A timestamp (ISO 8601, UTC) and a row id. */
  timeAndId: new RegExp(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z\\|${UUID}$`, 'i'),
} as const;

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(field: string, cursor: string, key: RegExp): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key.test(decoded) || encodeCursor(decoded) !== cursor)
    throw new BadUserInputError(field, 'is not a cursor this API issued');
  return decoded;
}
