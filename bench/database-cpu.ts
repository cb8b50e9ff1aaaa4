/**
 * CPU seconds spent by the local PostgreSQL server's processes (backends, WAL writer,
 * checkpointer …), read from /proc. A server that sends more statements, or commits more often,
 * costs the database more CPU — on this 2-core machine that CPU comes out of the server's share,
 * so it is reported beside the server's own. Null where /proc is not there or Postgres is not
 * local (the column then says n/a).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks on every platform glibc supports. */
const TICKS_PER_SECOND = 100;

export function databaseCpuMicros(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let ticks = 0;
  let found = false;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state …": comm may hold spaces, so split after its closing parenthesis.
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    const fields = stat.slice(close + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime); the slice starts at field 3.
    ticks += Number(fields[11]) + Number(fields[12]);
    found = true;
  }
  return found ? (ticks / TICKS_PER_SECOND) * 1e6 : null;
}
