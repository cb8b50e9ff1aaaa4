/**
 * Webhook signatures: HMAC-SHA256 over `<timestamp>.<raw body>` with the shared secret, sent as
 * `x-ll-signature: sha256=<hex>` with `x-ll-timestamp: <unix seconds>`. A timestamp outside the
 * replay window is refused even with a good signature; a replayed message id inside the window is
 * recognised by the receiver's processed-message table.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ll-signature';
export const TIMESTAMP_HEADER = 'x-ll-timestamp';

export function signWebhook(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

export type SignatureCheck = 'ok' | 'missing' | 'bad_signature' | 'stale';

export function verifyWebhook(
  secret: string,
  rawBody: Buffer,
  signature: string | undefined,
  timestamp: string | undefined,
  nowMs: number,
  windowSeconds: number,
): SignatureCheck {
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return 'missing';
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > windowSeconds) return 'stale';
  return 'ok';
}
