import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { synthesizeOrganization } from "../app/commands/organization-app";
import { readStack, synthStacks } from "./helpers/app";
import { flavour } from "./helpers/cdk-flavour";
import { tempDir, writeFile } from "./helpers/files";
import { resolve, resolveProblems } from "./helpers/organization";

const dir = tempDir();
const base = { trelicaOrganizationId: "org-42", managementAccountId: "111111111111", accounts: [{ id: "111111111111" }, { id: "222222222222" }] };
const stacksWith = (backend: object, extra: object = {}) => synthStacks(resolve(dir, { ...base, backend, ...extra }));

describe("state backends", () => {
  test("GIVEN no backend THEN each stack has a local state file named after it, by relative path", () => {
    for (const stack of synthStacks(resolve(dir, base))) {
      expect(stack.json.terraform.backend).toEqual({ local: { path: `../../../terraform.${stack.name}.tfstate` } });
    }
  });

  // The path used to be a fixed ../../../, right only for an output folder directly in the project root.
  test.each([
    ["accounts", `managementAccountId: "111111111111"\naccounts:\n  - id: "111111111111"\n  - id: "222222222222"\n`, "trelica-222222222222"],
    ["stackset", `mode: stackset\nmanagementAccountId: "111111111111"\nstackSet: { organizationalUnitIds: ["r-ab12"] }\n`, "trelica-organization"],
  ])("GIVEN mode %s and an output folder nested in the project THEN every stack's local state path, resolved from its stack folder, is in the folder holding cdktf.json", (_mode, yaml, expectedStack) => {
    const project = fs.mkdtempSync(path.join(dir, "project-"));
    writeFile(project, "cdktf.json", "{}");
    const config = writeFile(project, "trelica.config.yaml", `trelicaOrganizationId: "org-42"\n${yaml}`);
    const outdir = path.join(project, "build", "nested", "out");
    synthesizeOrganization(config, { outdir, log: () => undefined });
    const stacks = Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks);
    expect(stacks).toContain(expectedStack);
    for (const name of stacks) {
      const statePath: string = readStack(outdir, name).terraform.backend.local.path;
      expect(path.resolve(outdir, "stacks", name, statePath)).toBe(path.join(project, `terraform.${name}.tfstate`));
      expect(statePath).toBe(`../../../../../terraform.${name}.tfstate`);
    }
  });

  test("GIVEN one config synthesized into two output folders, one outside any project THEN both folders' stacks name the same state file, beside the config, and synth's first line says where", () => {
    const configDir = fs.mkdtempSync(path.join(dir, "deployment-"));
    const config = writeFile(configDir, "org.yaml", `trelicaOrganizationId: "org-42"\nmanagementAccountId: "111111111111"\naccounts:\n  - id: "111111111111"\n`);
    const lines: string[] = [];
    const outdirs = [path.join(configDir, "cdktf.out"), path.join(fs.mkdtempSync(path.join(dir, "loose-")), "nested", "out")];
    for (const outdir of outdirs) synthesizeOrganization(config, { outdir, log: (line) => lines.push(line) });
    for (const outdir of outdirs) {
      const statePath: string = readStack(outdir, "trelica-111111111111").terraform.backend.local.path;
      expect(path.resolve(outdir, "stacks", "trelica-111111111111", statePath)).toBe(path.join(configDir, "terraform.trelica-111111111111.tfstate"));
    }
    expect(lines[0]).toBe(`trelica: 1 account stack from ${config} into ${outdirs[0]} (local state in ${configDir}).`);
  });

  test("GIVEN state left where the earlier rule put it (beside an output folder outside any project) THEN synth refuses, writing nothing, with the command that moves it; after that command it synthesizes", () => {
    const configDir = fs.mkdtempSync(path.join(dir, "upgrade-"));
    const config = writeFile(configDir, "org.yaml", `trelicaOrganizationId: "org-42"\nmanagementAccountId: "111111111111"\naccounts:\n  - id: "111111111111"\n  - id: "222222222222"\n`);
    const loose = fs.mkdtempSync(path.join(dir, "old place-"));
    const outdir = path.join(loose, "out");
    writeFile(loose, "terraform.trelica-222222222222.tfstate", "{}");
    writeFile(loose, "terraform.trelica-999999999999.tfstate", "{}"); // another deployment's: not this one's to move
    const refusal = () => synthesizeOrganization(config, { outdir, log: () => undefined });
    expect(refusal).toThrow(
      `Local state now lives beside the config file, in ${configDir}, whatever --output; 1 state file of this deployment is still where it used to be found, in ${loose} ` +
        `(terraform.trelica-222222222222.tfstate), and none in ${configDir}. Nothing was written: synthesizing now would start from empty state and plan to create roles that exist. ` +
        `Move it first: mv -n '${path.join(loose, "terraform.trelica-222222222222.tfstate")}' ${configDir}/`,
    );
    expect(fs.existsSync(outdir)).toBe(false);
    // The printed command, run by a shell as printed.
    let message = "";
    try {
      refusal();
    } catch (error) {
      message = (error as Error).message;
    }
    const command = /Move it first: (.*)$/.exec(message)![1];
    expect(spawnSync("sh", ["-c", command]).status).toBe(0);
    expect(fs.existsSync(path.join(configDir, "terraform.trelica-222222222222.tfstate"))).toBe(true);
    synthesizeOrganization(config, { outdir, log: () => undefined });
    expect(readStack(outdir, "trelica-222222222222").terraform.backend.local.path).toBe(path.relative(path.join(outdir, "stacks", "trelica-222222222222"), path.join(configDir, "terraform.trelica-222222222222.tfstate")));
  });

  test("GIVEN an S3 backend with defaults THEN each account has its own key, encryption and S3-native locking", () => {
    const [first, second] = stacksWith({ type: "s3", bucket: "acme-tfstate" });
    expect(first.json.terraform.backend).toEqual({
      s3: { bucket: "acme-tfstate", key: "trelica/111111111111/terraform.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
    });
    expect(second.json.terraform.backend.s3.key).toBe("trelica/222222222222/terraform.tfstate");
  });

  test("GIVEN an S3 backend with every option THEN they are all rendered", () => {
    const [stack] = stacksWith({
      type: "s3",
      bucket: "acme-tfstate",
      region: "eu-west-1",
      key: "iam/{accountId}/trelica.tfstate",
      encrypt: false,
      useLockfile: false,
      dynamodbTable: "tf-locks",
      roleArn: "arn:aws:iam::999999999999:role/TerraformState",
    });
    expect(stack.json.terraform.backend).toEqual({
      s3: {
        bucket: "acme-tfstate",
        key: "iam/111111111111/trelica.tfstate",
        region: "eu-west-1",
        encrypt: false,
        dynamodb_table: "tf-locks",
        assume_role: { role_arn: "arn:aws:iam::999999999999:role/TerraformState" },
      },
    });
  });

  test("GIVEN a cloud backend THEN each account has its own named workspace", () => {
    const [first, second] = stacksWith({ type: "cloud", organization: "acme", project: "identity" });
    expect(first.json.terraform.cloud).toEqual({
      organization: "acme",
      workspaces: { name: "trelica-111111111111", project: "identity" },
    });
    expect(second.json.terraform.cloud.workspaces.name).toBe("trelica-222222222222");
    expect(first.json.terraform.backend).toBeUndefined();
  });

  test("GIVEN a cloud backend with a host, a name pattern or tags THEN they are rendered per account", () => {
    const [named] = stacksWith({ type: "cloud", organization: "acme", hostname: "tfe.acme.example", workspaceName: "aws-{accountId}-trelica" });
    expect(named.json.terraform.cloud).toEqual({
      organization: "acme",
      hostname: "tfe.acme.example",
      workspaces: { name: "aws-111111111111-trelica" },
    });
    const [tagged] = stacksWith({ type: "cloud", organization: "acme", workspaceTags: ["trelica", "account-{accountId}"] });
    expect(tagged.json.terraform.cloud.workspaces).toEqual({ tags: ["trelica", "account-111111111111"] });
  });
});

describe("terraform and provider requirements", () => {
  test.each([
    ["a local backend", { type: "local" }, ">= 1.5.0"],
    ["a cloud backend without a project", { type: "cloud", organization: "acme" }, ">= 1.5.0"],
    ["a cloud backend with a project (1.6)", { type: "cloud", organization: "acme", project: "identity" }, ">= 1.6.0"],
    ["an S3 backend with a state role but no S3 locking (1.6)", { type: "s3", bucket: "b", useLockfile: false, roleArn: "arn:aws:iam::999999999999:role/S" }, ">= 1.6.0"],
    ["an S3 backend with S3-native locking (1.10)", { type: "s3", bucket: "b" }, ">= 1.10.0"],
  ])("GIVEN %s THEN every stack requires the terraform that backend needs", (_case, backend, required) => {
    for (const stack of stacksWith(backend)) expect(stack.json.terraform.required_version).toBe(required);
  });

  test("GIVEN any stack THEN the AWS provider may be any later 6.x release, not one exact version", () => {
    const [stack] = synthStacks(resolve(dir, base));
    // cdktf: { source: "aws", version: "~> 6.25" }; CDK Terrain: hashicorp/aws, ~> 6.66 (scripts/cdk-flavour/flavours.ts).
    expect(stack.json.terraform.required_providers.aws).toEqual(flavour.awsRequirement);
  });
});

describe("backend bad input", () => {
  test.each([
    ["an unknown backend type", { type: "nfs" }, 'backend.type: got "nfs"; expected a backend with `type` one of local, s3, cloud'],
    ["an S3 backend without a bucket", { type: "s3" }, "backend.bucket: is required; expected an S3 bucket name"],
    [
      "an S3 key without the account ID",
      { type: "s3", bucket: "b", key: "trelica/terraform.tfstate" },
      'backend.key: got "trelica/terraform.tfstate"; expected an S3 key pattern containing {accountId}, so each account has its own state',
    ],
    ["a cloud backend without an organization", { type: "cloud" }, "backend.organization: is required; expected your Terraform Cloud organization name"],
    [
      "a cloud workspace name without the account ID",
      { type: "cloud", organization: "acme", workspaceName: "trelica" },
      'backend.workspaceName: got "trelica"; expected a workspace name pattern containing {accountId}',
    ],
    [
      "both a workspace name and tags",
      { type: "cloud", organization: "acme", workspaceName: "t-{accountId}", workspaceTags: ["t"] },
      "backend.workspaceTags: given with backend.workspaceName; expected one of the two ways to choose workspaces",
    ],
    ["an S3 option on a local backend", { type: "local", bucket: "b" }, "backend.bucket: unknown key."],
    [
      "cloud workspace tags none of which holds the account ID",
      { type: "cloud", organization: "acme", workspaceTags: ["trelica", "prod"] },
      'backend.workspaceTags: got ["trelica","prod"]; expected at least one tag containing {accountId}, such as "trelica-{accountId}", ' +
        "so each account's stack selects only its own workspace",
    ],
  ])("GIVEN %s THEN the error says so", (_case, backend, expected) => {
    expect(resolveProblems(dir, { ...base, backend })).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });
});
