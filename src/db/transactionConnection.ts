// Prisma has no API for COPY. An interactive transaction on PrismaPg runs on one pooled `pg`
// connection, and anything sent on that connection is inside the transaction; so the bulk path
// streams COPY through that connection. To find it, every connection of our pools gets a random
// name when it opens, held by the server as a session setting, and a transaction asks the server
// for its connection's name. The connection so named is then proven to be inside the transaction:
// it must see a setting the transaction has just made, local to the transaction (behind a
// connection pooler a session's name may be another connection's). A transaction on any other
// backend (PGlite), or whose connection fails either test, gets null, and the caller falls back
// to SQL that goes through Prisma.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Tx } from "./transaction.js";

/** Custom (dotted) settings: any role may set them. The name lives as long as the session. */
export const CONNECTION_NAME_SETTING = "autogpt_test_data.connection";
const TRANSACTION_MARK_SETTING = "autogpt_test_data.transaction";

const byName = new Map<string, pg.PoolClient>();
const nameOf = new WeakMap<pg.PoolClient, string>();
const found = new WeakMap<Tx, Promise<pg.PoolClient | null>>();

/** Names each connection of `pool` as it opens (and forgets it when the pool drops it). */
export function nameConnections(pool: pg.Pool): void {
  pool.on("connect", (client) => {
    const name = randomUUID();
    byName.set(name, client);
    nameOf.set(client, name);
    // Sent from the pool's "connect" event, so queued on the connection ahead of anything the
    // pool hands it out for (a transaction's BEGIN included). If it fails the name is unusable.
    client.query("SELECT set_config($1, $2, false)", [CONNECTION_NAME_SETTING, name]).catch(() => byName.delete(name));
  });
  pool.on("remove", (client) => {
    const name = nameOf.get(client);
    if (name) byName.delete(name);
  });
}

/** The `pg` connection `tx` runs on, or null when it is not one of ours. */
export function transactionConnection(tx: Tx): Promise<pg.PoolClient | null> {
  let connection = found.get(tx);
  if (!connection) {
    connection = findConnection(tx);
    found.set(tx, connection);
  }
  return connection;
}

async function findConnection(tx: Tx): Promise<pg.PoolClient | null> {
  if (byName.size === 0) return null;
  const mark = randomUUID();
  // missing_ok: a session that was never named reads NULL rather than failing the transaction.
  const [row] = await tx.$queryRaw<Array<{ name: string | null }>>`
    SELECT current_setting(${CONNECTION_NAME_SETTING}, true) AS name, set_config(${TRANSACTION_MARK_SETTING}, ${mark}, true)`;
  const candidate = row?.name ? byName.get(row.name) : undefined;
  if (!candidate) return null;
  const seen = await candidate.query<{ mark: string | null }>("SELECT current_setting($1, true) AS mark", [TRANSACTION_MARK_SETTING]);
  return seen.rows[0]?.mark === mark ? candidate : null;
}
