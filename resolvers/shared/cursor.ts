/** Opaque keyset cursors: base64url of the last row's sort key. */
import { BadUserInputError } from '../../src/errors';

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(field: string, cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw new BadUserInputError(field, 'is not a cursor this API issued');
  return key;
}
