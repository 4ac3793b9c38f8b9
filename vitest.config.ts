import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    // Hooks start throwaway PostgreSQL clusters (initdb + pg_ctl) and build fixture repositories on them.
    hookTimeout: 120_000,
  },
});
