// Holds a command at a known point: its first write into a table waits, its rows already sent,
// until the test opens the gate. A statement trigger on the table spins (pg_try_*, pg_sleep)
// while the test's session holds an advisory lock: the command's backend stays "active" in its
// COPY or INSERT with the table's RowExclusiveLock held, and waits on no lock itself, so the
// lock-wait watcher (src/connection/lockWaitWatch.ts) has nothing to say about it.
import { quoteIdentifier } from "../../src/shared/identifier.js";
import type { SqlSession } from "../../src/connection/sqlSession.js";

/** The gate's advisory lock key ("GATE"): not the updaters' own (src/connection/lockWaitWatch.ts). */
const GATE_KEY = 0x47415445;

// The key is a constant of this file, written into the function's body (DDL takes no parameters).
const GATE_FUNCTION = `
  CREATE OR REPLACE FUNCTION test_write_gate() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    WHILE NOT pg_try_advisory_xact_lock_shared(${GATE_KEY}) LOOP PERFORM pg_sleep(0.01); END LOOP;
    RETURN NULL;
  END $$`;

export interface WriteGate {
  /** Lets every held statement (and every later one) through. */
  open(): Promise<void>;
}

/** Closes a gate on `table`, held by `sql`'s session (closing that session opens it too). */
export async function closeWriteGate(sql: SqlSession, table: string): Promise<WriteGate> {
  await sql.exec(GATE_FUNCTION);
  const name = quoteIdentifier(table);
  // AFTER ... FOR EACH STATEMENT: the statement's rows are in (uncommitted) when it is held.
  await sql.exec(
    `CREATE TRIGGER ${quoteIdentifier(`test_gate_${table}`)} AFTER INSERT ON ${name} FOR EACH STATEMENT EXECUTE FUNCTION test_write_gate()`,
  );
  await sql.query("SELECT pg_advisory_lock($1)", [GATE_KEY]);
  return {
    async open() {
      await sql.query("SELECT pg_advisory_unlock($1)", [GATE_KEY]);
    },
  };
}
