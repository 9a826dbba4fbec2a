// Prisma has no API for COPY. An interactive transaction on PrismaPg runs on one pooled `pg`
// connection, and anything sent on that connection is inside the transaction; so the bulk path
// finds that connection and streams COPY through it. It is found by what the server says it is
// (backend pid, database, port), asked through the transaction itself, among the connections of
// the pools this process made: a transaction on any other backend (PGlite) finds nothing, and the
// caller falls back to SQL that goes through Prisma.
import type pg from "pg";
import type { Tx } from "./prismaClient.js";

/** The connection fields pg sets from the server's BackendKeyData and the connection string. */
interface TrackedClient extends pg.PoolClient {
  processID: number | null;
  database?: string;
  port: number;
}

const liveClients = new Set<TrackedClient>();
const found = new WeakMap<Tx, Promise<pg.PoolClient | null>>();

/** Remembers the pool's connections while they are open, so a transaction's can be found. */
export function trackPoolConnections(pool: pg.Pool): void {
  pool.on("connect", (client) => liveClients.add(client as TrackedClient));
  pool.on("remove", (client) => liveClients.delete(client as TrackedClient));
}

/** The `pg` connection `tx` runs on, or null when it is not one of ours (or can't be told apart). */
export function transactionConnection(tx: Tx): Promise<pg.PoolClient | null> {
  let connection = found.get(tx);
  if (!connection) {
    connection = findConnection(tx);
    found.set(tx, connection);
  }
  return connection;
}

async function findConnection(tx: Tx): Promise<pg.PoolClient | null> {
  if (liveClients.size === 0) return null;
  const [self] = await tx.$queryRaw<Array<{ pid: number; database: string; port: number | null }>>`
    SELECT pg_backend_pid() AS pid, current_database() AS database, inet_server_port() AS port`;
  if (!self) return null;
  // The port is null over a Unix socket; pid and database still single out a live connection.
  const matches = [...liveClients].filter(
    (client) =>
      client.processID === self.pid && client.database === self.database && (self.port === null || client.port === self.port),
  );
  return matches.length === 1 ? matches[0]! : null;
}
