/**
 * vitest global setup: every test hub of the run logs (JSON) to one file (HUB_LOG_FILE, see
 * suite-log.ts); after the last file, the file is scanned for personal data — valid NHS numbers
 * and UPNs, postcodes, calendar dates, the seed city's and the fixtures' names — and the run fails
 * on any hit. HUB_LOG_SCAN=0 turns it off; HUB_LOG_FILE set beforehand keeps the file.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanLogs } from './log-scan';

export default function setup(): (() => void) | undefined {
  if (process.env.HUB_LOG_SCAN === '0') return;
  const keep = Boolean(process.env.HUB_LOG_FILE);
  const dir = keep ? null : mkdtempSync(join(tmpdir(), 'ehh-suite-log-'));
  const file = process.env.HUB_LOG_FILE ?? join(dir!, 'hub.log');
  process.env.HUB_LOG_FILE = file; // inherited by the test workers
  return () => {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (dir) rmSync(dir, { recursive: true, force: true });
    const hits = scanLogs(text);
    if (hits.length) {
      const shown = hits
        .slice(0, 10)
        .map((h) => `  ${h.what} in: ${h.line.replace(h.value, '«…»')}`)
        .join('\n');
      throw new Error(
        `Personal data found in the hubs' logs (${hits.length} hits, ${text.split('\n').length} lines):\n${shown}`,
      );
    }
  };
}
