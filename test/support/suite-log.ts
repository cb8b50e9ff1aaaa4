/**
 * When HUB_LOG_FILE is set (the log-scan global setup sets it for the whole run), every test hub
 * without its own logger writes its JSON log lines there, so a final check can grep the logs of
 * the whole end-to-end suite for personal data (test/support/log-scan.global.ts).
 */
import { destination } from 'pino';
import { createLogger, type Logger } from '../../src/shared/logger';

let shared: Logger | null | undefined;

export function suiteLogger(): Logger | null {
  if (shared !== undefined) return shared;
  const file = process.env.HUB_LOG_FILE;
  shared = file ? createLogger('debug', destination({ dest: file, append: true, sync: true })) : null;
  return shared;
}
