/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // tsconfig has isolatedModules, so ts-jest only transpiles; `npm run typecheck` checks types.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // Generous, for a loaded 2-core machine: no test may pass or fail by speed (the real-terraform file sets its own).
  testTimeout: 300000,
  // Jest's default on 2 cores is one worker; most files wait on child processes (the cdktf CLI, the
  // app, terraform), so two workers use the machine (70 s -> 46 s without the real-terraform file).
  maxWorkers: 2,
};
