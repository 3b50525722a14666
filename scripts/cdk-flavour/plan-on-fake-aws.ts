/*
 * node -r sucrase/register scripts/cdk-flavour/plan-on-fake-aws.ts <outdir> <stack> <managementAccountId>
 * One real `terraform init` + `plan` of a synthesized stack against the fake AWS (test:cdktn runs it on a
 * CDK Terrain stack): the real hashicorp/aws binary served from a mirror under the version the stack
 * asks for, endpoints only through AWS_ENDPOINT_URL. Checks the plan creates exactly Trelica's role,
 * its read-only policy and their attachment, with the external ID in the trust policy.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeAws } from "../../sandbox/fake-aws/fake-aws";
import { copyStack, findRealTerraform, installProvider, providerVersionFor, run, terraformEnv } from "../../test/helpers/real-terraform";

async function main(): Promise<number> {
  // Timed from here, after the lock: test:cdktn's figure for this step includes waiting for it.
  const started = Date.now();
  const [outdir, stack, managementAccountId] = process.argv.slice(2);
  if (!outdir || !stack || !managementAccountId) throw new Error("usage: plan-on-fake-aws.ts <outdir> <stack> <managementAccountId>");
  const real = findRealTerraform();
  if ("missing" in real) {
    if (process.env.TRELICA_REQUIRE_REAL_TERRAFORM === "1") throw new Error(`real terraform plan cannot run: ${real.missing}`);
    process.stdout.write(`SKIPPED: the real-terraform plan: ${real.missing}\n`);
    return 0;
  }
  // Nested, so the local backend's ../../../ state path stays inside the scratch folder.
  const work = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "trelica-cdktn-plan-")), "a", "b");
  const fake = await FakeAws.start({ managementAccountId });
  try {
    const stackDir = copyStack(outdir, stack, work);
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    const version = providerVersionFor(json);
    const provider = installProvider(real, path.dirname(work), [version]);
    const env = terraformEnv(fake, managementAccountId, provider);
    const terraform = async (args: string[], codes: number[]) => {
      const result = await run(real.terraform, args, { cwd: stackDir, env, timeoutMs: 600_000 });
      if (!codes.includes(result.code ?? -1)) throw new Error(`terraform ${args[0]} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
      return result;
    };
    await terraform(["init", "-input=false", "-no-color"], [0]);
    await terraform(["plan", "-input=false", "-no-color", "-lock=false", "-detailed-exitcode", "-out=tfplan"], [2]);
    const plan = JSON.parse((await terraform(["show", "-json", "tfplan"], [0])).stdout);
    const changes: { type: string; actions: string[]; after: any }[] = plan.resource_changes.map((change: any) => ({ type: change.type, actions: change.change.actions, after: change.change.after }));
    const problems: string[] = [];
    const creates = changes.filter((change) => change.actions.join() === "create").map((change) => change.type).sort();
    const others = changes.filter((change) => change.actions.join() !== "create" && change.actions.join() !== "no-op");
    if (others.length > 0) problems.push(`unexpected actions: ${others.map((change) => `${change.type} ${change.actions}`).join(", ")}`);
    for (const type of ["aws_iam_policy", "aws_iam_role", "aws_iam_role_policy_attachment"]) if (!creates.includes(type)) problems.push(`no ${type} created`);
    const role = changes.find((change) => change.type === "aws_iam_role")?.after;
    if (role?.name !== "TrelicaIntegration") problems.push(`role name ${JSON.stringify(role?.name)}, expected "TrelicaIntegration"`);
    if (!/sts:ExternalId/.test(role?.assume_role_policy ?? "")) problems.push("the trust policy has no sts:ExternalId condition");
    if (fake.unimplemented.length > 0) problems.push(`the fake AWS was asked for what it does not implement: ${fake.unimplemented.join(", ")}`);
    process.stdout.write(`terraform plan of ${stack} (${json.terraform.required_providers.aws.source} ${json.terraform.required_providers.aws.version}, binary ${real.providerVersion} served as ${version}): creates ${creates.join(", ")}; ${((Date.now() - started) / 1000).toFixed(1)} s after the lock\n`);
    for (const problem of problems) process.stderr.write(`plan check failed: ${problem}\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await fake.stop();
    fs.rmSync(path.dirname(path.dirname(work)), { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
