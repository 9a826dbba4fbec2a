// Where the repository is, for the tests that run its commands and read its files.
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
