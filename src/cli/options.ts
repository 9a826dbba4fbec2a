// Command-line options, declared once per command (COMMON_OPTIONS merged in): one declaration parses, validates
// and prints --help, so help can't drift from what is accepted. --kebab-case options are parsed into camelCase
// keys (--min-runs: minRuns); a --min-X must not exceed its --max-X.
import { parseArgs } from "node:util";
import { invertedRange, UsageError } from "../shared/errors.js";

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
  /** What the value is, for the error when it is missing: `--data-dir needs a directory`. */
  needs: string;
}
export type OptionSpec = IntegerOption | FlagOption | StringOption;
export type OptionSpecs = Record<string, OptionSpec>;

export const flag = (description: string): FlagOption => ({ type: "flag", description });

/** A whole number from `min` to `max`; without a `def`ault it is undefined unless given. */
export const integer = <D extends number | undefined = undefined>(
  description: string,
  min: number,
  max: number,
  def?: D,
) => ({ type: "integer", description, min, max, default: def }) as IntegerOption & { default: D };

const INTERRUPT_HELP =
  "Interrupted: exit 130 (Ctrl-C) or 143 (SIGTERM); the open transaction is rolled back, nothing is half-written.";

/** Options every command accepts, listed (in this order) after the command's own in every --help. */
export const COMMON_OPTIONS = {
  "data-dir": {
    type: "string",
    placeholder: "DIR",
    needs: "a directory",
    description: "the embedded database's directory (default .data/pglite, or PGLITE_DATA_DIR)",
  },
  "env-file": {
    type: "string",
    placeholder: "PATH",
    needs: "a file",
    description:
      "read DATABASE_URL from this file when the environment has none (default: .env here, unless NO_DOTENV=1)",
  },
  "allow-remote": flag("allow a DATABASE_URL whose host is not this machine (or ALLOW_REMOTE_DATABASE=1)"),
  verbose: flag("print the stack trace of a failure"),
  help: flag("show this help and exit"),
} as const satisfies OptionSpecs;

type ValueOf<S extends OptionSpec> = S extends IntegerOption
  ? S["default"] extends number
    ? number
    : number | undefined
  : S extends FlagOption
    ? boolean
    : string | undefined;
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
export type ParsedOptions<S extends OptionSpecs> = { [K in keyof S & string as Camel<K>]: ValueOf<S[K]> };

const camel = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
export const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The common options as a command uses them (--help never gets this far: it ends the parse). */
export type CommonOptions = Omit<ParsedOptions<typeof COMMON_OPTIONS>, "help">;

export interface CommandSpec<S extends OptionSpecs = OptionSpecs> {
  usage: string;
  summary: string;
  /** The command's own options; a common option's name here is a mistake (see allOptions). */
  options: S & { [K in keyof typeof COMMON_OPTIONS]?: never };
  epilogue?: string[];
}

export interface CommandLine<O> {
  options: O;
  common: CommonOptions;
}

/** `null` when --help was printed; else throws a one-line UsageError. Checks the line's shape
 *  (unknown options, stray arguments, missing values) first, then --help, then values. */
export function parseCommandLine<S extends OptionSpecs>(
  command: CommandSpec<S>,
  argv: string[],
): CommandLine<ParsedOptions<S>> | null {
  const given = readArgv(allOptions(command), argv);
  if (given.get("help") === true) {
    console.log(helpText(command));
    return null;
  }
  const valuesOf = (specs: OptionSpecs) =>
    Object.fromEntries(
      Object.entries(specs).map(([name, spec]) => [camel(name), valueOf(name, spec, given.get(name))]),
    );
  const options = valuesOf(command.options);
  const [min, max] = invertedRange(options) ?? [];
  if (min && max)
    throw new UsageError(`--${kebab(min)} (${options[min]}) must not exceed --${kebab(max)} (${options[max]})`);
  const common = valuesOf(COMMON_OPTIONS);
  delete common.help;
  return { options: options as ParsedOptions<S>, common: common as CommonOptions };
}

function valueOf(name: string, spec: OptionSpec, raw: string | true | undefined): unknown {
  if (spec.type === "flag") return raw === true;
  if (spec.type === "string") return raw;
  if (raw === undefined) return spec.default;
  const text = String(raw).trim();
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`--${name} must be a whole number from ${spec.min} to ${spec.max} (got "${raw}")`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
    throw new UsageError(`--${name} must be from ${spec.min} to ${spec.max} (got ${text})`);
  }
  return value;
}

function allOptions<S extends OptionSpecs>(command: CommandSpec<S>): Map<string, OptionSpec> {
  const all = new Map<string, OptionSpec>(Object.entries(command.options) as Array<[string, OptionSpec]>);
  for (const [name, spec] of Object.entries(COMMON_OPTIONS)) {
    if (all.has(name)) throw new Error(`${command.usage}: --${name} is a common option, declared again`);
    all.set(name, spec);
  }
  return all;
}

/** The values given: `true` for a flag, else the text (the last one wins). Not parseArgs' strict mode: it reads
 *  `--users -1` as two options, and -1 must reach validation as a value; its checks, with its messages, are here. */
function readArgv(specs: Map<string, OptionSpec>, argv: string[]): Map<string, string | true> {
  const config: Record<string, { type: "string" | "boolean" }> = {};
  for (const [name, spec] of specs) config[name] = { type: spec.type === "flag" ? "boolean" : "string" };
  const { tokens } = parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });
  const given = new Map<string, string | true>();
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      throw usage(`Unexpected argument '${token.value}'. This command does not take positional arguments`);
    }
    const { name, rawName, value } = token;
    const spec = specs.get(name);
    if (!spec) throw usage(`Unknown option '${rawName}'`);
    if (spec.type === "flag") {
      if (value !== undefined) throw usage(`Option '${rawName}' does not take an argument`);
      given.set(name, true);
    } else if (spec.type === "string") {
      // A path must be there and must not look like an option: `--data-dir --verbose` lost its DIR.
      if (value === undefined || value.trim() === "" || value.startsWith("--"))
        throw usage(`--${name} needs ${spec.needs}`);
      given.set(name, value);
    } else {
      // `--users --seed 1` left the value out; `--users -1` (a single dash) gives a value.
      if (value === undefined) throw usage(`Option '${rawName} <value>' argument missing`);
      if (!token.inlineValue && value.startsWith("--")) throw usage(`Option '${rawName}' argument is ambiguous.`);
      given.set(name, value);
    }
  }
  return given;
}

function usage(message: string): UsageError {
  return new UsageError(`${message} (see --help)`);
}

export function helpText<S extends OptionSpecs>(command: CommandSpec<S>): string {
  const rows = [...allOptions(command)].map(([name, spec]) => {
    if (spec.type === "flag") return [`--${name}`, spec.description] as const;
    if (spec.type === "string") return [`--${name} ${spec.placeholder}`, spec.description] as const;
    const range = `${spec.min}-${spec.max}${spec.default === undefined ? "" : `, default ${spec.default}`}`;
    return [`--${name} N`, `${spec.description} (${range})`] as const;
  });
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
