// Where the repository is, for the tests that run its commands and read its files. npm test runs the
// test files' compiled copies, in another folder (support/compiledTree.ts), and tells them.
import { fileURLToPath } from "node:url";

export const REPOSITORY_ENV = "ATD_TEST_REPOSITORY";

export const ROOT = process.env[REPOSITORY_ENV] || fileURLToPath(new URL("../..", import.meta.url));
