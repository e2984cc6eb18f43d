import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: "forks",
    globalSetup: ["test/support/build-service.ts"],
    setupFiles: ["test/support/stop-services.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
