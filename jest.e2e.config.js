/** @type {import('jest').Config} npm run test:e2e: every flow with the real terraform and AWS provider against the fake AWS. */
const base = require("./jest.config.js");
module.exports = {
  ...base,
  testMatch: ["**/test/e2e/**/*.e2e.ts", "**/test/real-terraform.test.ts"],
  // Each terraform command loads a ~700 MB provider and costs seconds of CPU: one file at a time.
  maxWorkers: 1,
  testTimeout: 900000,
};
