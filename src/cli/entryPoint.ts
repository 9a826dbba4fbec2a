// A command's file runs its command only when it is the program being run, so tests (and other
// commands) can import its main() without starting it.
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";

export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === moduleUrl;
  } catch {
    return false;
  }
}
