import * as fs from "node:fs";
import * as path from "node:path";
import { synthesizeInBatches, synthesizeStacks, writeManifest } from "../app/synthesize";
import { filesUnder, tempDir } from "./helpers/files";
import { resolve, writeAccountsFile } from "./helpers/organization";

const dir = tempDir();

// An Organization whose accounts differ in every setting that reaches a stack.
writeAccountsFile(dir, "accounts.json", [
  { Id: "111111111111", Name: "management", State: "ACTIVE" },
  ...Array.from({ length: 12 }, (_, i) => ({ Id: String(200000000000 + i), Name: `member-${i}`, State: "ACTIVE" })),
]);
const resolution = resolve(dir, {
  trelicaOrganizationId: "org-42",
  accountsFile: "accounts.json",
  role: { tags: { team: "it" } },
  // The state role lives in one of the member accounts: that account's ID appears in its settings twice.
  backend: { type: "s3", bucket: "state", roleArn: "arn:aws:iam::200000000003:role/State" },
  accounts: [
    { id: "200000000001", region: "eu-west-2", services: { connect: true } },
    { id: "200000000002", adoptExisting: true, policyName: "HandMade" },
    { id: "200000000004", assumeRoleName: false },
    { id: "200000000005", services: { cognito: false } },
    // Its settings contain the placeholder account ID itself.
    { id: "200000000006", assumeRoleName: "Deploy000000000000" },
  ],
});

describe("synthesis by shape", () => {
  test("GIVEN a mixed Organization THEN every file is byte-identical to synthesizing each account on its own", () => {
    const stamped = path.join(dir, "stamped");
    const plain = path.join(dir, "plain");
    fs.mkdirSync(stamped);
    fs.mkdirSync(plain);
    synthesizeStacks(resolution.deployments, stamped);
    writeManifest(plain, synthesizeInBatches(resolution.deployments, plain));

    const expected = filesUnder(plain);
    expect(Object.keys(expected)).toHaveLength(resolution.deployments.length + 1);
    expect(filesUnder(stamped)).toEqual(expected);
  });

  test("GIVEN an unchanged re-synth THEN stack files are not rewritten", () => {
    const out = path.join(dir, "again");
    fs.mkdirSync(out);
    synthesizeStacks(resolution.deployments, out);
    const file = path.join(out, "stacks", "trelica-200000000001", "cdk.tf.json");
    const past = new Date("2020-01-01T00:00:00Z");
    fs.utimesSync(file, past, past);
    synthesizeStacks(resolution.deployments, out);
    expect(fs.statSync(file).mtime).toEqual(past);
  });

  test("GIVEN a stack whose content changed THEN it is rewritten", () => {
    const out = path.join(dir, "changed");
    fs.mkdirSync(out);
    synthesizeStacks(resolution.deployments, out);
    const file = path.join(out, "stacks", "trelica-200000000001", "cdk.tf.json");
    fs.writeFileSync(file, "stale");
    synthesizeStacks(resolution.deployments, out);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).provider.aws[0].allowed_account_ids).toEqual(["200000000001"]);
  });
});
