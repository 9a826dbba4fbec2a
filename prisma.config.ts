// Configuration for the Prisma CLI. Only `prisma generate` runs here (the engines that
// `migrate`/`db` need can't be downloaded on these machines: `npm run db:migrate` applies the
// same migrations itself). Where the CLI can run, `npx prisma db seed` runs the creator.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
    seed: "tsx src/createTestData.ts",
  },
  datasource: {
    // Read lazily by the CLI commands that connect; `generate` doesn't need it.
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/postgres",
  },
});
