/*
 * What `npm run test:mutation` mutates, folder by folder, and the test files that run each folder's code
 * in the jest process (a spawned app or terraform never sees a mutant). Each folder is a Stryker run of
 * its own (test/mutation/run.js), so a surviving mutant of the construct is not also run against every
 * test that happens to synthesize an app.
 */
module.exports = {
  "modules/trelica-integration": {
    mutate: ["modules/trelica-integration/**/*.ts"],
    tests: [
      "construct", "policies", "adoption", "resource-addresses", "security-scp", "policy-simulation",
      "aws-service-reference", "permissions-boundary", "mutation-gaps-construct", "mutation/message-rows",
    ],
  },
  "app/config": {
    mutate: ["app/config/**/*.ts"],
    // Not app, deployer, init or terraform-cloud: each of their tests synthesizes whole apps, 10 to 20 s
    // for every mutant that survives the cheap files (docs/development.md, "Mutation testing").
    tests: ["config", "config-cross-checks", "json-syntax", "mutation-gaps-config", "mutation/message-rows"],
  },
  verify: {
    mutate: ["verify/compare.ts", "verify/read/policy.ts", "verify/in-sync.ts"],
    tests: ["mutation-gaps-verify"],
  },
};
