// The one place that builds a Prisma Client for a database target.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client.js";
import type { PostgresTarget } from "./databaseUrl.js";
import { pgClientConfig } from "./sqlSession.js";

export type Db = PrismaClient;
/** The client handed to the body of an interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createPrismaClient(target: PostgresTarget): PrismaClient {
  const adapter = new PrismaPg({ ...pgClientConfig(target), max: 4 }, { schema: target.schema });
  return new PrismaClient({ adapter });
}
