// The failure the migration runner reports: one line, saying what to do.
export class MigrationError extends Error {}
