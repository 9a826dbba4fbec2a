// The one place that builds a Prisma Client for a database target.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import type { PostgresTarget } from "./databaseUrl.js";
import { pgClientConfig } from "./sqlSession.js";
import { nameConnections } from "./transactionConnection.js";

export function createPrismaClient(target: PostgresTarget): PrismaClient {
  // Our own pool (closed with the client), its connections named for COPY (transactionConnection.ts).
  const pool = new pg.Pool({ ...pgClientConfig(target), max: 4 });
  nameConnections(pool);
  const adapter = new PrismaPg(pool, { schema: target.schema, disposeExternalPool: true });
  return new PrismaClient({ adapter });
}
