/*
 * The documented path for a few accounts: `cdktf deploy` (the real cdktf CLI, which runs our app and
 * then the real terraform) on two stacks, against the fake AWS.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT, tempDir } from "../helpers/files";
import { describeWithRealTerraform, run } from "../helpers/real-terraform";
import { TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const MEMBER = "222222222222";

describeWithRealTerraform("cdktf deploy with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-deploy-");
  let project: TerraformProject;

  beforeAll(async () => {
    const config = `trelicaOrganizationId: "org-deploy"\nmanagementAccountId: "${MANAGEMENT}"\naccounts:\n  - id: "${MANAGEMENT}"\n  - id: "${MEMBER}"\n`;
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": config }, { managementAccountId: MANAGEMENT });
  });
  afterAll(() => project?.close());

  test("GIVEN two account stacks WHEN `cdktf deploy` runs THEN both accounts hold the role and the outputs are what to type into Trelica", async () => {
    const outputsFile = path.join(dir, "outputs.json");
    const result = await run(
      path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf"),
      // --skip-provider-lock: cdktf otherwise runs `terraform providers lock`, which asks the registry
      // for checksums even when the provider comes from a mirror (offline here; see docs/troubleshooting.md).
      ["deploy", `trelica-${MANAGEMENT}`, `trelica-${MEMBER}`, "--auto-approve", "--skip-provider-lock", "--output", project.outdir, "--outputs-file", outputsFile],
      { cwd: PROJECT_ROOT, env: { ...project.env(), TRELICA_CONFIG: path.join(dir, "trelica.config.yaml"), CI: "1" }, timeoutMs: 600_000 },
    );
    if (result.code !== 0) throw new Error(`cdktf deploy exited ${result.code}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
    for (const account of [MANAGEMENT, MEMBER]) {
      expect(project.fake.account(account).roles.TrelicaIntegration.attachedPolicies).toEqual([`arn:aws:iam::${account}:policy/TrelicaIntegrationReadOnly`]);
    }
    const outputs = JSON.parse(fs.readFileSync(outputsFile, "utf8"));
    expect(outputs[`trelica-${MEMBER}`]).toEqual({ account_id: MEMBER, region: "us-east-1", role_arn: `arn:aws:iam::${MEMBER}:role/TrelicaIntegration` });
    // State went where docs/backends.md says: the project root (here: the config's folder's project).
    expect(fs.existsSync(path.join(dir, `terraform.trelica-${MEMBER}.tfstate`))).toBe(true);
    expect(project.fake.unimplemented).toEqual([]);
  });
});
