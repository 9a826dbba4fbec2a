// Command-line options, declared once per command: the same declaration parses, validates
// and prints --help, so the help text can't drift from what is accepted.
import { parseArgs } from "node:util";
import { UsageError } from "../shared/errors.js";

interface IntegerOption {
  type: "integer";
  description: string;
  default?: number;
  min: number;
  max: number;
}
interface FlagOption {
  type: "flag";
  description: string;
}
interface StringOption {
  type: "string";
  description: string;
  placeholder: string;
}
export type OptionSpec = IntegerOption | FlagOption | StringOption;
export type OptionSpecs = Record<string, OptionSpec>;

/** Every command handles Ctrl-C and SIGTERM alike (runCommand). */
const INTERRUPT_HELP = "Interrupted: exit 130 (Ctrl-C) or 143 (SIGTERM); the open transaction is rolled back, nothing is half-written.";

/** Flags every command accepts (handled by runCommand), listed in every --help. */
export const COMMON_FLAGS = {
  "--data-dir DIR": "the embedded database's directory (default .data/pglite, or PGLITE_DATA_DIR)",
  "--env-file PATH": "read DATABASE_URL from this file when the environment has none (default: .env here, unless NO_DOTENV=1)",
  "--allow-remote": "allow a DATABASE_URL whose host is not this machine (or ALLOW_REMOTE_DATABASE=1)",
  "--verbose": "print the stack trace of a failure",
} as const;

type ValueOf<S extends OptionSpec> = S extends IntegerOption
  ? S["default"] extends number
    ? number
    : number | undefined
  : S extends FlagOption
    ? boolean
    : string | undefined;
export type ParsedOptions<S extends OptionSpecs> = { [K in keyof S]: ValueOf<S[K]> };

export interface CommandSpec<S extends OptionSpecs> {
  usage: string;
  summary: string;
  options: S;
  /** Lines printed after the options (exit codes, environment). */
  epilogue?: string[];
}

/** Parses argv; `null` means --help was asked for (and printed). Throws UsageError. */
export function parseOptions<S extends OptionSpecs>(
  command: CommandSpec<S>,
  argv: string[],
): ParsedOptions<S> | null {
  const config: Record<string, { type: "string" | "boolean" }> = { help: { type: "boolean" } };
  for (const [name, spec] of Object.entries(command.options)) {
    config[name] = { type: spec.type === "flag" ? "boolean" : "string" };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    const args = attachNegativeValues(argv, command.options);
    ({ values } = parseArgs({ args, options: config, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} (see --help)`);
  }
  if (values.help) {
    console.log(helpText(command));
    return null;
  }
  const parsed: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    const raw = values[name];
    if (spec.type === "flag") parsed[name] = raw === true;
    else if (spec.type === "string") parsed[name] = raw === undefined ? undefined : nonEmpty(name, String(raw));
    else parsed[name] = raw === undefined ? spec.default : parseInteger(name, String(raw), spec);
  }
  return parsed as ParsedOptions<S>;
}

/** `--users -1` would read as two options; join it as `--users=-1` so it is validated as a value. */
function attachNegativeValues(argv: string[], options: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const spec = arg.startsWith("--") ? options[arg.slice(2)] : undefined;
    const next = argv[i + 1];
    if (spec && spec.type !== "flag" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function nonEmpty(name: string, raw: string): string {
  if (raw.trim() === "") throw new UsageError(`--${name} needs a value`);
  return raw;
}

function parseInteger(name: string, raw: string, spec: IntegerOption): number {
  if (!/^\d+$/.test(raw.trim())) {
    throw new UsageError(`--${name} must be a whole number from ${spec.min} to ${spec.max} (got "${raw}")`);
  }
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
    throw new UsageError(`--${name} must be from ${spec.min} to ${spec.max} (got ${raw.trim()})`);
  }
  return value;
}

export function helpText<S extends OptionSpecs>(command: CommandSpec<S>): string {
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const flag = spec.type === "integer" ? `--${name} N` : spec.type === "string" ? `--${name} ${spec.placeholder}` : `--${name}`;
    const extra =
      spec.type === "integer"
        ? ` (${spec.min}-${spec.max}${spec.default !== undefined ? `, default ${spec.default}` : ""})`
        : "";
    return [flag, spec.description + extra] as const;
  });
  rows.push(...Object.entries(COMMON_FLAGS), ["--help", "show this help and exit"]);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: ${command.usage}`,
    "",
    command.summary,
    "",
    "Options:",
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    ...(command.epilogue ? ["", ...command.epilogue] : []),
    INTERRUPT_HELP,
  ].join("\n");
}

/** Splits a --min/--max pair check into one place: the pair must be ordered. */
export function requireRange(minName: string, min: number, maxName: string, max: number): void {
  if (min > max) throw new UsageError(`--${minName} (${min}) must not exceed --${maxName} (${max})`);
}

/** Takes `--data-dir DIR` / `--data-dir=DIR` out of argv; `null` when it is given without a value. */
export function takeDataDirOption(argv: string[]): { dataDir: string | null | undefined; rest: string[] } {
  const { value, rest } = takeValueOption(argv, "--data-dir");
  return { dataDir: value, rest };
}

/** Takes `--env-file PATH` / `--env-file=PATH` out of argv; `null` when it is given without a value. */
export function takeEnvFileOption(argv: string[]): { envFile: string | null | undefined; rest: string[] } {
  const { value, rest } = takeValueOption(argv, "--env-file");
  return { envFile: value, rest };
}

/** Takes a common flag with a value out of argv (the last one given wins); `null`: no value given. */
function takeValueOption(argv: string[], flag: string): { value: string | null | undefined; rest: string[] } {
  const rest: string[] = [];
  let value: string | null | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === flag || arg.startsWith(`${flag}=`)) {
      const given = arg === flag ? argv[++i] : arg.slice(flag.length + 1);
      value = given === undefined || given.trim() === "" || given.startsWith("--") ? null : given;
    } else rest.push(arg);
  }
  return { value, rest };
}
