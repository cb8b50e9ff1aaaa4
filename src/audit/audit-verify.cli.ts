/**
 * `npm run audit:verify -- --key <verifier key | file> --checkpoint <file> [--checkpoint <file> …] --export <file>`
 *
 * What an external auditor runs: checks an export of the audit log (GET /dpo/audit-log/export)
 * against checkpoints they hold, with the log's public verifier key. Needs no database and runs
 * no hub code that writes. Prints a JSON report; exit status 0 when every checkpoint verifies,
 * 1 when any does not, 2 on bad arguments.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyExport } from './offline-verify';

const { values } = parseArgs({
  options: { key: { type: 'string' }, checkpoint: { type: 'string', multiple: true }, export: { type: 'string' } },
});
if (!values.key || !values.checkpoint?.length || !values.export) {
  console.error(
    'usage: npm run audit:verify -- --key <verifier key or file> --checkpoint <file> [--checkpoint <file>…] --export <file>',
  );
  process.exit(2);
}
const key = existsSync(values.key) ? readFileSync(values.key, 'utf8').trim() : values.key;
const report = verifyExport(
  readFileSync(values.export, 'utf8'),
  values.checkpoint.map((f) => readFileSync(f, 'utf8')),
  key,
);
console.log(JSON.stringify(report, null, 2));
process.exit(report.ok ? 0 : 1);
