// typescript-eslint's recommended rules over the TypeScript sources (the generated client aside).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["src/generated/**", "node_modules/**", ".data/**"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { files: ["**/*.mjs"], languageOptions: { globals: { process: "readonly", console: "readonly" } } },
);
