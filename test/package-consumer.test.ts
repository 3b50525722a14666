import * as fs from "node:fs";
import * as path from "node:path";
import { ALL_SERVICES, permissionPolicy, trustPolicy, withDefaultTags } from "../modules/trelica-integration";
import {
  consumerPeerVersions,
  installConsumerApp,
  installPoliciesOnly,
  packInto,
  PEER_NAMES,
  run,
  scratchDir,
  typeCheckAndCompile,
  typeCheckScriptWithNode16,
} from "./helpers/package-consumer";

/*
 * The package from a consumer's side: `npm pack`, then apps outside the repository that install the
 * tarball. Peers default to our own versions; TRELICA_CONSUMER_PEERS picks others (scripts/peer-matrix.sh).
 */

/** What the root entry exports at run time: the construct, its error, the renderers, the table and rules, the template. */
const ROOT_EXPORTS = [
  "ACCOUNT_ID_RULE", "ALL_SERVICES", "CFN_EXTERNAL_ID_PARAMETER", "CFN_POLICY_LOGICAL_ID", "CFN_ROLE_LOGICAL_ID",
  "DEFAULT_TAGS", "DESCRIPTION_RULE", "EXTERNAL_ID_RULE", "MAX_SESSION_DURATION_RULE", "PARTITIONS", "PERMISSIONS_BOUNDARY_RULE",
  "POLICY_NAME_RULE", "POLICY_PATH_AND_NAME_RULE", "SERVICE_NAMES", "TAGS_RULE", "TRELICA_ACCOUNT_ID", "TRELICA_SERVICES",
  "TrelicaIntegration", "TrelicaIntegrationValidationError", "TrelicaPolicies", "TrelicaServices", "actionsFor", "cloudFormationTemplate", "enabledServices",
  "permissionPolicy", "tagProblems", "trustPolicy", "withDefaultTags",
];
/** The dependency-free entry: everything of the root but the construct, its error, its default tags and the template. */
const POLICIES_EXPORTS = ROOT_EXPORTS.filter(
  (name) =>
    !["TrelicaIntegration", "TrelicaIntegrationValidationError", "cloudFormationTemplate", "DEFAULT_TAGS", "withDefaultTags"].includes(name) &&
    !name.startsWith("CFN_"),
);

const INSTALL_TIMEOUT = 6 * 60 * 1000;

describe("trelica-aws-role as an installed package", () => {
  const work = scratchDir("trelica-package-");
  const app = path.join(work, "app");
  const policiesOnly = path.join(work, "policies-only");
  let packed: { tarball: string; files: string[] };

  beforeAll(() => {
    packed = packInto(work);
    fs.mkdirSync(app);
    fs.mkdirSync(policiesOnly);
    installConsumerApp(app, packed.tarball, consumerPeerVersions());
    installPoliciesOnly(policiesOnly, packed.tarball);
  }, INSTALL_TIMEOUT);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test("GIVEN the peer versions asked for THEN the app has exactly those installed", () => {
    const installed = (name: string) => JSON.parse(fs.readFileSync(path.join(app, "node_modules", name, "package.json"), "utf8")).version;
    const peers = consumerPeerVersions();
    expect(Object.fromEntries(Object.keys(peers).map((name) => [name, installed(name)]))).toEqual(peers);
  });

  test("GIVEN npm pack THEN the tarball holds only the compiled construct, its types and the package's documents", () => {
    const outsideDist = packed.files.filter((file) => !file.startsWith("dist/"));
    expect(outsideDist).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "package.json"]);
    const dist = packed.files.filter((file) => file.startsWith("dist/"));
    // Nothing of the config app, the CLI or rollout, and no TypeScript sources: JavaScript and declarations only.
    expect(dist.filter((file) => !/\.(js|d\.ts)$/.test(file))).toEqual([]);
    expect(dist.filter((file) => /app|rollout|command|main/.test(file))).toEqual([]);
    expect(dist).toContain("dist/index.js");
    expect(dist).toContain("dist/index.d.ts");
    expect(dist).toContain("dist/policies.js");
  });

  test("GIVEN the example app importing only trelica-aws-role WHEN tsc checks it THEN it compiles without errors", () => {
    const checked = typeCheckAndCompile(app);
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.status).toBe(0);
  });

  test("GIVEN moduleResolution node16 (the exports map instead of typesVersions) WHEN tsc checks the policies script THEN it compiles too", () => {
    const checked = typeCheckScriptWithNode16(app);
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.status).toBe(0);
  });

  test("GIVEN the compiled example app WHEN it synthesizes THEN its stack holds the role with Trelica's trust, the policy and the attachments", () => {
    if (!fs.existsSync(path.join(app, "dist", "main.js"))) typeCheckAndCompile(app);
    run(process.execPath, [path.join("dist", "main.js")], app);
    const stack = JSON.parse(fs.readFileSync(path.join(app, "cdktf.out", "stacks", "trelica", "cdk.tf.json"), "utf8"));
    const one = (type: string) => {
      const resources = Object.entries(stack.resource[type] ?? {});
      expect(resources).toHaveLength(1);
      return resources[0] as [string, Record<string, unknown>];
    };
    const [roleId, role] = one("aws_iam_role");
    const [policyId, policy] = one("aws_iam_policy");
    expect(role.name).toBe("TrelicaIntegration");
    expect(role.path).toBe("/");
    expect(JSON.parse(role.assume_role_policy as string)).toEqual(trustPolicy({ externalId: "your-trelica-organization-id" }));
    expect(JSON.parse(policy.policy as string)).toEqual(permissionPolicy({ iam: true, organizations: true }));
    expect(role.tags).toEqual(withDefaultTags({ owner: "platform-team" }));
    expect(one("aws_iam_role_policy_attachment")[1]).toMatchObject({
      role: `\${aws_iam_role.${roleId}.name}`,
      policy_arn: `\${aws_iam_policy.${policyId}.arn}`,
    });
    expect(one("aws_iam_role_policy_attachments_exclusive")[1]).toMatchObject({ policy_arns: [`\${aws_iam_policy.${policyId}.arn}`] });
    expect(one("aws_iam_role_policies_exclusive")[1]).toMatchObject({ policy_names: [] });
    expect(Object.keys(stack.provider)).toEqual(["aws"]);
  });

  test("GIVEN the external ID as a TerraformVariable WHEN the example synthesizes THEN the trust policy is Terraform's jsonencode with the variable, nothing refused", () => {
    if (!fs.existsSync(path.join(app, "dist", "external-id-variable.js"))) typeCheckAndCompile(app);
    run(process.execPath, [path.join("dist", "external-id-variable.js")], app);
    const stack = JSON.parse(fs.readFileSync(path.join(app, "cdktf.out.variable", "stacks", "trelica", "cdk.tf.json"), "utf8"));
    expect(stack.variable.trelica_external_id).toMatchObject({ type: "string", sensitive: true });
    const [role] = Object.values<Record<string, unknown>>(stack.resource.aws_iam_role);
    expect(role.assume_role_policy).toBe(
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Principal" = {"AWS" = "arn:aws:iam::377450845233:root"}, "Action" = "sts:AssumeRole", "Condition" = {"StringEquals" = {"sts:ExternalId" = var.trelica_external_id}}}]})}',
    );
  });

  test("GIVEN a bad literal external ID beside a TerraformVariable tag THEN the installed package refuses the literal alone with TrelicaIntegrationValidationError", () => {
    const script = [
      `const { App, TerraformStack, TerraformVariable } = require(${JSON.stringify(PEER_NAMES[0])});`,
      'const { TrelicaIntegration, TrelicaIntegrationValidationError } = require("trelica-aws-role");',
      'const stack = new TerraformStack(new App({ outdir: "cdktf.out.bad" }), "bad");',
      'const team = new TerraformVariable(stack, "team", { type: "string" }).stringValue;',
      "try {",
      '  new TrelicaIntegration(stack, "trelica", { externalId: "org 1", tags: { team } });',
      "} catch (error) {",
      "  console.log(JSON.stringify({ ours: error instanceof TrelicaIntegrationValidationError, error: error instanceof Error, problems: error.problems }));",
      "}",
    ].join("\n");
    const refused = JSON.parse(run(process.execPath, ["-e", script], app).stdout);
    expect(refused).toEqual({
      ours: true,
      error: true,
      problems: ['`externalId` must be 2 to 1224 characters of letters, digits and _+=,.@:/-, got "org 1"'],
    });
  });

  test("GIVEN the installed package THEN its root and policies entries export exactly the package's API", () => {
    const keys = (entry: string) =>
      JSON.parse(run(process.execPath, ["-e", `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(entry)}))))`], app).stdout).sort();
    expect(keys("trelica-aws-role")).toEqual([...ROOT_EXPORTS].sort());
    expect(keys("trelica-aws-role/policies")).toEqual([...POLICIES_EXPORTS].sort());
    // The exports map keeps the internals out of reach.
    const deep = run(process.execPath, ["-e", 'require("trelica-aws-role/dist/private/validate")'], app, false);
    expect(deep.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  test("GIVEN only the package, no cdktf, constructs or provider WHEN a plain Node script renders the policies THEN they match the construct's", () => {
    expect(fs.readdirSync(path.join(policiesOnly, "node_modules")).filter((name) => !name.startsWith("."))).toEqual(["trelica-aws-role"]);
    const rendered = JSON.parse(run(process.execPath, ["render-policies.js", "org-42"], policiesOnly).stdout);
    expect(rendered).toEqual({ trust: trustPolicy({ externalId: "org-42" }), permissions: permissionPolicy(ALL_SERVICES) });
    // The static classes every language gets (jsii) render the same, also with nothing but the package.
    const statics = run(process.execPath, ["-e", 'const { TrelicaPolicies } = require("trelica-aws-role/policies"); console.log(TrelicaPolicies.trustPolicyJson({ externalId: "org-42" }))'], policiesOnly);
    expect(JSON.parse(statics.stdout)).toEqual(rendered.trust);
    // ES modules get the same names from the CommonJS build.
    const esm = run(process.execPath, ["--input-type=module", "-e", 'import { trustPolicy } from "trelica-aws-role/policies"; console.log(JSON.stringify(trustPolicy({ externalId: "org-42" })))'], policiesOnly);
    expect(JSON.parse(esm.stdout)).toEqual(rendered.trust);
    // The construct itself does need its peers: the root entry says which one is missing.
    const root = run(process.execPath, ["-e", 'require("trelica-aws-role")'], policiesOnly, false);
    expect(root.status).not.toBe(0);
    const missing = root.stderr.match(/Cannot find module '([^']+)'/)?.[1];
    expect(PEER_NAMES.some((peer) => missing === peer || missing?.startsWith(`${peer}/lib/`))).toBe(true);
  });
});
