// Finds the pooled `pg` connection a PrismaPg interactive transaction runs on, so the bulk path can COPY
// through it (Prisma has no API for COPY). Each connection carries a random name in a session setting;
// the named one must also see a setting the transaction just made locally (behind a pooler a session's
// name may be another connection's). Null on PGlite or if either test fails: the caller uses Prisma.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Tx } from "./transaction.js";

/** Custom (dotted) settings: any role may set them. The name lives as long as the session. */
export const CONNECTION_NAME_SETTING = "autogpt_test_data.connection";
const TRANSACTION_MARK_SETTING = "autogpt_test_data.transaction";

const byName = new Map<string, pg.PoolClient>();
const nameOf = new WeakMap<pg.PoolClient, string>();
const found = new WeakMap<Tx, Promise<{ client: pg.PoolClient; mark: string } | null>>();

export function nameConnections(pool: pg.Pool): void {
  pool.on("connect", (client) => {
    const name = randomUUID();
    byName.set(name, client);
    nameOf.set(client, name);
    // Queued on "connect", ahead of any use (BEGIN included). If it fails, the name is unusable.
    client.query("SELECT set_config($1, $2, false)", [CONNECTION_NAME_SETTING, name]).catch(() => byName.delete(name));
  });
  pool.on("remove", (client) => {
    const name = nameOf.get(client);
    if (name) byName.delete(name);
  });
}

/** The `pg` connection `tx` runs on, or null when it is not one of ours. Asked before each write: once
 *  the transaction has ended (Prisma rolls it back when it times out) it throws, since a write on the
 *  connection would then commit on its own, outside the run's all-or-nothing. */
export async function transactionConnection(tx: Tx): Promise<pg.PoolClient | null> {
  if (!found.has(tx)) found.set(tx, findConnection(tx));
  const connection = await found.get(tx)!;
  if (connection && (await markOn(connection.client)) !== connection.mark)
    throw new Error("the run's transaction has ended (timed out or rolled back): nothing more is written");
  return connection?.client ?? null;
}

async function findConnection(tx: Tx): Promise<{ client: pg.PoolClient; mark: string } | null> {
  if (byName.size === 0) return null;
  const mark = randomUUID();
  // missing_ok: a session that was never named reads NULL rather than failing the transaction.
  const [row] = await tx.$queryRaw<Array<{ name: string | null }>>`
    SELECT current_setting(${CONNECTION_NAME_SETTING}, true) AS name,
           set_config(${TRANSACTION_MARK_SETTING}, ${mark}, true)`;
  const client = row?.name ? byName.get(row.name) : undefined;
  return client && (await markOn(client)) === mark ? { client, mark } : null;
}

/** The transaction's mark as `client` sees it: set locally, it is gone once the transaction ends. */
async function markOn(client: pg.PoolClient): Promise<string | null | undefined> {
  const seen = await client.query<{ mark: string | null }>("SELECT current_setting($1, true) AS mark", [
    TRANSACTION_MARK_SETTING,
  ]);
  return seen.rows[0]?.mark;
}
