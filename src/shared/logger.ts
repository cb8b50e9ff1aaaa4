/**
 * Structured JSON logs (pino). Log lines carry ids, codes, organisation and role — never names,
 * dates of birth, identifiers, addresses or free text; the redact list is a second line of defence.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info', destination?: DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'early-help-hub' },
    redact: {
      paths: ['req.headers.authorization', '*.authorization', '*.token', '*.nhsNumber', '*.upn', '*.givenName', '*.familyName', '*.dateOfBirth', '*.postcode'],
      censor: '[redacted]',
    },
  }, destination);
}

export const silentLogger: Logger = pino({ level: 'silent' });
