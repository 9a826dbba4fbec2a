// The embedded PostgreSQL: PGlite (WASM) under Prisma via pglite-prisma-adapter. One instance per data directory
// serves Prisma and the SqlSession: PGlite has one connection; two instances on one directory lose each other's writes.
import { existsSync, readFileSync } from "node:fs";
import { PGlite, types } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.js";
import { CommandError, errorLine } from "../shared/errors.js";
import { quoteIdentifier } from "../shared/identifier.js";
import type { DatabaseConnection } from "../connection/databaseConnection.js";
import type { DataDirLock } from "./dataDirLock.js";
import { nextTurn, OpenTransactions } from "./pgliteTransactions.js";
import { parseUtcTimestamp, type SqlSession } from "../connection/sqlSession.js";
import { displayPath, type DatabaseTarget } from "../target/target.js";

/** The PostgreSQL major version of the PGlite this project pins (its data directories are tied to it). */
const PGLITE_PG_MAJOR = "18";

export interface PgliteOpenOptions {
  /** A directory (created when absent); undefined = in memory. */
  dataDir?: string;
  /** Start from this dump (PGlite.dumpDataDir) instead of an empty database. */
  loadDataDir?: Blob | File;
  /** Unqualified names resolve in this schema (as `?schema=` does for PostgreSQL). */
  schema: string;
}

export async function openPglite({ dataDir, loadDataDir, schema }: PgliteOpenOptions): Promise<PGlite> {
  if (dataDir) refuseOtherMajorVersion(dataDir);
  try {
    return await PGlite.create({
      dataDir,
      loadDataDir,
      // PGlite's defaults hold "-c search_path=public": replace it, as ?schema= does on a server.
      startParams: PGlite.defaultStartParams.map((p) =>
        p === "search_path=public" ? `search_path=${quoteIdentifier(schema)}` : p,
      ),
    });
  } catch (error) {
    if (!dataDir) throw error;
    throw new CommandError(
      `cannot open the embedded database at ${displayPath(dataDir)} (${errorLine(error)}); ` +
        "npm run db:reset deletes it so the next run starts afresh",
    );
  }
}

/** A data directory made by another PostgreSQL major version cannot be opened: say so plainly. */
function refuseOtherMajorVersion(dataDir: string): void {
  const file = `${dataDir}/PG_VERSION`;
  if (!existsSync(file)) return;
  const version = readFileSync(file, "utf8").trim();
  if (version !== PGLITE_PG_MAJOR) {
    throw new CommandError(
      `the embedded database at ${displayPath(dataDir)} was made by PostgreSQL ${version}, this PGlite runs ` +
        `PostgreSQL ${PGLITE_PG_MAJOR}; npm run db:reset deletes it so the next run starts afresh`,
    );
  }
}

/** Optional Transaction methods of @prisma/driver-adapter-utils 7.x that the adapter (built on 7.2) lacks. */
interface SavepointHooks {
  createSavepoint?(name: string): Promise<void>;
  rollbackToSavepoint?(name: string): Promise<void>;
  releaseSavepoint?(name: string): Promise<void>;
}

/** pglite-prisma-adapter 0.7.2 has no `schema` option, so Prisma qualifies every model query with
 *  "public". This adapter reports the schema (as PrismaPg's `{ schema }` does), adds the savepoint hooks
 *  Prisma 7 uses for a nested tx.$transaction(), and tracks transactions for an interrupt to roll back. */
function pgliteAdapter(pglite: PGlite, schema: string, transactions: OpenTransactions): PrismaPGlite {
  const factory = new PrismaPGlite(pglite);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const info = adapter.getConnectionInfo?.bind(adapter);
    adapter.getConnectionInfo = () => ({ supportsRelationJoins: true, ...info?.(), schemaName: schema });
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      transactions.refuseIfAbandoned();
      const tx: Awaited<ReturnType<typeof start>> & SavepointHooks = transactions.track(await start(isolationLevel));
      const run = (sql: string) => tx.executeRaw({ sql, args: [], argTypes: [] }).then(() => {});
      tx.createSavepoint ??= (name) => run(`SAVEPOINT ${name}`);
      tx.rollbackToSavepoint ??= (name) => run(`ROLLBACK TO SAVEPOINT ${name}`);
      tx.releaseSavepoint ??= (name) => run(`RELEASE SAVEPOINT ${name}`);
      return tx;
    };
    return adapter;
  };
  return factory;
}

/** A SqlSession over a PGlite instance (closing it is the connection's job, not the session's). */
export function pgliteSession(pglite: PGlite): SqlSession {
  return {
    // A turn of the event loop before each statement, so a Ctrl-C is noticed (see nextTurn).
    async exec(sql) {
      await nextTurn();
      await pglite.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      await nextTurn();
      // timestamp columns read as UTC, as on a server session (sqlSession.ts).
      return (await pglite.query<T>(sql, params, { parsers: { [types.TIMESTAMP]: parseUtcTimestamp } })).rows;
    },
    async close() {},
  };
}

export interface EmbeddedConnection extends DatabaseConnection {
  /** For an interrupted command: rolls back the open transaction, then closes (see close()). */
  abandon(): Promise<void>;
}

/** A connection over an open PGlite instance (the tests' in-memory databases use it directly). */
export function embeddedConnection(target: DatabaseTarget, pglite: PGlite, lock?: DataDirLock): EmbeddedConnection {
  const transactions = new OpenTransactions();
  const db = new PrismaClient({ adapter: pgliteAdapter(pglite, target.schema, transactions) });
  let closing: Promise<void> | undefined;
  // Once; every caller (interrupt handler, command's `finally`) waits until PGlite is closed.
  const close = () =>
    (closing ??= (async () => {
      try {
        // $disconnect() doesn't close PGlite; close() shuts it down cleanly and flushes the data dir.
        await db.$disconnect();
        await pglite.close();
      } finally {
        lock?.release();
      }
    })());
  return {
    target,
    db,
    sql: pgliteSession(pglite),
    close,
    async abandon() {
      // Roll back first (PGlite's close() waits for the open transaction: pgliteTransactions.ts).
      // From here every statement is refused, whatever Prisma's $disconnect() does.
      await transactions.rollBackAll();
      await close();
    },
  };
}
