// The updater's options, as its steps take them (parsed and validated by src/updateTestData.ts).
export interface UpdateOptions {
  seed: number | undefined;
  dryRun: boolean;
  json: boolean;
  strict: boolean;
  limits: { users: number; graphs: number; listings: number };
  runs: { graphs: number; min: number; max: number; nodesPerRun: number };
  reviews: { min: number; max: number };
  versionUpdates: number;
  credits: { users: number; min: number; max: number };
}
