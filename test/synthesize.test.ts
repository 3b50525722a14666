import * as fs from "node:fs";
import * as path from "node:path";
import { synthesizeInBatches, synthesizeStacks, writeManifest } from "../app/stacks/synthesize";
import { filesUnder, tempDir } from "./helpers/files";
import { ACCOUNT_ID_SENTINEL } from "../app/config/reserved";
import { resolve, resolveProblems, writeAccountsFile } from "./helpers/organization";
import { DEFAULT_TAGS } from "../modules/trelica-integration";

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
    // Its settings contain another account's ID.
    { id: "200000000006", assumeRoleName: "Deploy200000000005" },
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

describe("synthesis by shape cannot rewrite what a user wrote", () => {
  /** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** An Organization whose values hold digit runs overlapping its account IDs, partial IDs and pieces of the sentinel. */
  function generatedOrganization(seed: number) {
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const base = 100000000000 + Math.floor(next() * 800000000000);
    // IDs that share long digit runs with each other.
    const ids = [...new Set(Array.from({ length: 6 }, (_, i) => String(base + i * pick([1, 10, 1000, 1000000]))))].sort();
    const anId = () => pick(ids);
    const tricky = () =>
      pick([
        `0${anId()}1`,
        `v${anId()}`,
        anId().slice(0, 7),
        anId().slice(5),
        `${anId()}${anId()}`,
        "TRELICAACCOUNT",
        "IDSENTINEL",
        "SENTINEL" + anId(),
        "000000000000",
      ]);
    const folder = path.join(dir, `generated-${seed}`);
    writeAccountsFile(folder, "accounts.json", ids.map((Id) => ({ Id, Name: tricky(), State: "ACTIVE" })), ids[0]);
    const config = {
      trelicaOrganizationId: tricky(),
      accountsFile: "accounts.json",
      role: {
        tags: { ref: tricky(), [`k${anId().slice(0, 4)}`]: tricky() },
        description: `Trelica ${tricky()}`,
        policyName: `Read${anId()}`,
        ...pick([{}, { permissionsBoundaryArn: `arn:aws:iam::{accountId}:policy/Boundary${anId()}` }, { permissionsBoundaryArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }]),
      },
      backend: pick([
        { type: "local" },
        { type: "s3", bucket: `state-${anId()}`, key: `x${anId()}/{accountId}/${anId().slice(3)}.tfstate`, roleArn: `arn:aws:iam::${anId()}:role/State${anId()}` },
        { type: "cloud", organization: `org${anId()}`, workspaceName: `w${anId()}-{accountId}` },
      ]),
      accounts: ids.slice(1).map((id) =>
        pick([
          { id },
          { id, assumeRoleName: `Deploy${anId()}` },
          { id, adoptExisting: true, policyName: `Hand${anId()}` },
          { id, services: { cognito: false } },
          { id, region: "eu-west-2" },
        ]),
      ),
    };
    return { folder, deployments: resolve(folder, config).deployments };
  }

  test.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    "GIVEN generated Organization #%i with account-ID-like digits in its values THEN synthesis by shape is byte-identical to per-account synthesis",
    (seed) => {
      const { folder, deployments } = generatedOrganization(seed);
      const byShape = path.join(folder, "by-shape");
      const oneByOne = path.join(folder, "one-by-one");
      synthesizeStacks(deployments, byShape);
      writeManifest(oneByOne, synthesizeInBatches(deployments, oneByOne));
      expect(filesUnder(byShape)).toEqual(filesUnder(oneByOne));
    },
  );

  test("GIVEN an organization ID holding an account's ID with digits around it THEN that account's trust policy keeps it as written", () => {
    const folder = path.join(dir, "issue-example");
    const deployments = resolve(folder, {
      trelicaOrganizationId: "0200000000001",
      managementAccountId: "200000000001",
      role: { tags: { ref: "v0200000000001" } },
      accounts: [{ id: "200000000001" }, { id: "300000000001" }],
    }).deployments;
    synthesizeStacks(deployments, folder);
    const stack = JSON.parse(fs.readFileSync(path.join(folder, "stacks", "trelica-200000000001", "cdk.tf.json"), "utf8"));
    const role = Object.values<any>(stack.resource.aws_iam_role)[0];
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals["sts:ExternalId"]).toBe("0200000000001");
    expect(role.tags).toEqual({ ...DEFAULT_TAGS, ref: "v0200000000001" });
  });

  test("GIVEN a config value holding the reserved sentinel THEN the config is refused, naming the field", () => {
    expect(resolveProblems(dir, { trelicaOrganizationId: `org-${ACCOUNT_ID_SENTINEL}`, accounts: [{ id: "111111111111" }] })).toEqual([
      `trelicaOrganizationId: got "org-${ACCOUNT_ID_SENTINEL}"; expected a value without "${ACCOUNT_ID_SENTINEL}", a marker this program reserves for itself`,
    ]);
  });
});
