// The one place that builds a Prisma Client for a database target.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client.js";
import type { PostgresTarget } from "./databaseUrl.js";
import { pgClientConfig } from "./sqlSession.js";
import { trackPoolConnections } from "./transactionConnection.js";

export type Db = PrismaClient;
/** The client handed to the body of an interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createPrismaClient(target: PostgresTarget): PrismaClient {
  // Our own pool (closed with the client): the bulk path finds a transaction's connection in it.
  const pool = new pg.Pool({ ...pgClientConfig(target), max: 4 });
  trackPoolConnections(pool);
  const adapter = new PrismaPg(pool, { schema: target.schema, disposeExternalPool: true });
  return new PrismaClient({ adapter });
}
