/**
 * `npm run audit:witness -- --dir <directory> --key <verifier key | file> [--port 8787] [--host 127.0.0.1]`
 *
 * Runs a witness of the audit log as its own process, ideally on another machine run by someone
 * other than the hub's operators (an internal audit team, a partner): it keeps what it accepted in
 * `--dir` and refuses any checkpoint not consistent with it. The hub sends to it when
 * AUDIT_WITNESS_URL is set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Witness } from './witness';
import { witnessServer } from './witness-server';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, key: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
});
if (!values.dir || !values.key) {
  console.error(
    'usage: npm run audit:witness -- --dir <directory> --key <verifier key or file> [--port 8787] [--host 127.0.0.1]',
  );
  process.exit(2);
}
const key = existsSync(values.key) ? readFileSync(values.key, 'utf8').trim() : values.key;
const port = Number(values.port ?? process.env.PORT ?? 8787);
const host = values.host ?? process.env.HOST ?? '127.0.0.1';
const witness = new Witness(values.dir, key);
const server = witnessServer(witness);
server.listen(port, host, () => {
  console.log(
    JSON.stringify({ msg: 'audit witness listening', url: `http://${host}:${port}`, treeSize: witness.treeSize }),
  );
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
