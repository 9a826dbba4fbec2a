// The rows a migration leaves in `_prisma_migrations`, written as Prisma's engine writes them
// (prisma-engines, sql_migration_persistence.rs): a row when it starts (finished_at NULL,
// applied_steps_count 0), then applied_steps_count 1 and finished_at when it succeeds, or its
// error in `logs` (finished_at left NULL) when it fails.
import type { SqlSession } from "../db/sqlSession.js";
import type { MigrationFile } from "./migrationFiles.js";

export async function recordStarted(session: SqlSession, id: string, migration: MigrationFile): Promise<void> {
  await session.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
}

/** Marks the row finished; false when there is no row `id` to mark. */
export async function recordFinished(session: SqlSession, id: string): Promise<boolean> {
  const rows = await session.query(
    `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1
     WHERE id = $1 RETURNING id`,
    [id],
  );
  return rows.length > 0;
}

export async function recordFailed(session: SqlSession, id: string, logs: string): Promise<void> {
  await session.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, logs]);
}

export async function recordExists(session: SqlSession, id: string): Promise<boolean> {
  return (await session.query(`SELECT 1 FROM "_prisma_migrations" WHERE id = $1`, [id])).length > 0;
}
