/*
 * The stand-in terraform's Terraform Cloud half: what terraform >= 1.6 prints and writes for a stack whose
 * `cloud` block runs it remotely (workspace execution mode remote or agent), after hashicorp/terraform's
 * internal/cloud (backend_plan.go, backend_apply.go, backend_common.go, backend_show.go,
 * backend_taskStage_policyEvaluation.go, cloudplan/saved_plan.go), with -no-color. Terraform Cloud's own
 * side (the run and its status) is kept in <stack>/.fake-terraform-cloud/<run-id>.json.
 *
 * Behaviour (per stack, with the stand-in's others):
 *   executionMode: "remote" (default) | "local"   local: terraform runs the operation itself, as without cloud
 *   vcs: true                  the workspace has a VCS connection: saved plans and CLI applies are refused
 *   policy: "passed" | "advisory-failed" | "soft-failed" | "hard-failed"
 *   policyFramework: "sentinel" (default, policy checks) | "opa" (policy evaluations in a task stage)
 *   costEstimate: true         prints the cost estimation section
 *   jsonPlanDenied: true       `show -json` of the saved plan is refused (the token is not workspace admin)
 *   runState: what happened to the run in Terraform Cloud before `apply`: "discarded" | "canceled" |
 *             "applied" (confirmed and applied in the UI) | "confirmed" | "policy_override" | "pending"
 *   tokenMissing: true         init finds no token for the host
 * A saved plan whose workspace state changed since is discarded, as Terraform Cloud discards stale saved plans.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const RUNS_DIR = ".fake-terraform-cloud";
const APP_NAME = "HCP Terraform";

/** The stack's cloud block: where its runs go. */
function cloudOf(config, stack) {
  const cloud = (config.terraform || {}).cloud;
  if (!cloud) return undefined;
  return { hostname: cloud.hostname || "app.terraform.io", organization: cloud.organization, workspace: (cloud.workspaces || {}).name || stack };
}

function runUrl(cloud, runId) {
  return `https://${cloud.hostname}/app/${cloud.organization}/${cloud.workspace}/runs/${runId}`;
}

function newRunId() {
  return `run-${crypto.randomBytes(12).toString("base64").replace(/[^A-Za-z0-9]/g, "x").slice(0, 16)}`;
}

function saveRun(run) {
  fs.mkdirSync(RUNS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RUNS_DIR, `${run.id}.json`), JSON.stringify(run));
}

function loadRun(runId) {
  const file = path.join(RUNS_DIR, `${runId}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
}

/** cloudplan.SavedPlanBookmark: the whole of a saved cloud plan. */
function readBookmark(file) {
  try {
    const bookmark = JSON.parse(fs.readFileSync(path.resolve(file), "utf8"));
    return bookmark.remote_plan_format === 1 ? bookmark : undefined;
  } catch {
    return undefined;
  }
}

/** tfdiags rendered without colour: a blank line, "Error: <summary>", a blank line, the detail. */
function diagnostic(summary, detail) {
  return `\nError: ${summary}\n${detail ? `\n${detail}\n` : ""}\n`;
}

function versionAtLeast(version, minimum) {
  const a = version.split(".").map(Number);
  const b = minimum.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
  return true;
}

function planLine(changes) {
  const count = (action) => changes.filter((c) => c.change.actions.includes(action) && !(action === "create" && c.change.actions.includes("delete"))).length;
  const replace = changes.filter((c) => c.change.actions.includes("create") && c.change.actions.includes("delete")).length;
  const imports = changes.filter((c) => c.change.importing).length;
  return `Plan: ${imports ? `${imports} to import, ` : ""}${count("create") + replace} to add, ${count("update")} to change, ${count("delete") + replace} to destroy.`;
}

function sentinelSection(policy) {
  const level = { passed: "soft-mandatory", "advisory-failed": "advisory", "soft-failed": "soft-mandatory", "hard-failed": "hard-mandatory" }[policy];
  const passes = policy === "passed" || policy === "advisory-failed";
  const result = policy === "passed" ? "true" : "false";
  return (
    "\n------------------------------------------------------------------------\n\nOrganization Policy Check:\n\n" +
    `Sentinel Result: ${passes}\n\n` +
    (passes
      ? "This result means that Sentinel policies returned true and the protected\nbehavior is allowed by Sentinel policies.\n\n"
      : "Sentinel evaluated to false because one or more Sentinel policies evaluated\nto false. This false was not due to an undefined value or runtime error.\n\n") +
    "1 policies evaluated.\n\n" +
    `## Policy 1: trelica-guardrails.sentinel (${level})\n\nResult: ${result}\n\n` +
    `${result.toUpperCase()} - trelica-guardrails.sentinel:1:1 - Rule "main"\n`
  );
}

function opaSection(policy) {
  const failed = policy !== "passed";
  const outcome = { passed: "\u2713 Passed", "advisory-failed": "\u24be Advisory", "soft-failed": "\u00d7 Failed", "hard-failed": "\u00d7 Failed" }[policy];
  const overall = policy === "passed" ? "PASSED" : "FAILED";
  return (
    "\nPost-plan Tasks:\n\n------------------------------------------------------------------------\n\nPolicy Evaluations\n\n--------------------------------\n\nOPA Policy Evaluation\n\n" +
    `\u2192\u2192 Overall Result: ${overall}\n` +
    (failed
      ? " This result means that one or more OPA policies failed. More than likely, this was due to the discovery of violations by the main rule and other sub rules\n"
      : " This result means that all OPA policies passed and the protected behavior is allowed\n") +
    "1 policies evaluated\n\n" +
    "\u2192 Policy set 1: trelica-guardrails (1)\n  \u21b3 Policy name: no-wildcard-trust\n" +
    `     | ${outcome}\n     | Trust policies name their principal\n`
  );
}

/**
 * `terraform plan` with a cloud block: a run in Terraform Cloud. `-out` makes it a saved plan run and
 * writes the bookmark once the run planned and passed its checks.
 */
async function plan({ cloud, args, changes, behaviour, version, serial, work, option, out, err }) {
  const planOut = option("out");
  if (planOut && !versionAtLeast(version, "1.6.0")) {
    // terraform 1.5 (internal/cloud/backend_plan.go at v1.5.7).
    err(diagnostic("Saving a generated plan is currently not supported", "Terraform Cloud does not support saving the generated execution plan locally at this time."));
    return 1;
  }
  if (planOut && behaviour.vcs) {
    err(diagnostic("Saved plans not allowed for workspaces with a VCS connection", "A workspace that is connected to a VCS requires the VCS-driven workflow to ensure that the VCS remains the single source of truth."));
    return 1;
  }
  out(`Running plan in ${APP_NAME}. Output will stream here. Pressing Ctrl-C\nwill stop streaming the logs, but will not stop the plan running remotely.\n\nPreparing the remote plan...\n\n`);
  const run = { id: newRunId(), serial, changes, destroy: args.includes("-destroy"), status: "planning", saved: Boolean(planOut) };
  saveRun(run);
  out(`To view this run in a browser, visit:\n${runUrl(cloud, run.id)}\n\nWaiting for the plan to start...\n\n`);
  if (!(await work(behaviour.sleepMs || 0))) {
    err("\nError: execution halted\n");
    return 1;
  }
  out(`Terraform v${version}\non linux_amd64\nInitializing plugins and modules...\n`);
  const hasChanges = changes.some((c) => !c.change.actions.every((a) => a === "no-op") || c.change.importing);
  out(hasChanges ? `\nTerraform will perform the following actions:\n...\n\n${planLine(changes)}\n` : "\nNo changes. Your infrastructure matches the configuration.\n");
  if (behaviour.costEstimate) {
    out(`\n------------------------------------------------------------------------\n\nCost Estimation:\n\nResources: 0 of ${changes.length} estimated\n           $0.0/mo +$0.0\n`);
  }
  const policy = behaviour.policy;
  if (policy && (behaviour.policyFramework || "sentinel") === "sentinel") {
    out(sentinelSection(policy));
    if (policy === "hard-failed") {
      saveRun({ ...run, status: "errored" });
      err(diagnostic("Organization Policy Check hard failed."));
      return 1;
    }
    if (policy === "soft-failed") {
      // A plan never offers the override (backend_common.go checkPolicy): the run waits in Terraform Cloud.
      saveRun({ ...run, status: "policy_override" });
      err(diagnostic(`Organization Policy Check soft failed.\n\nTo view this run in the browser, visit:\n${runUrl(cloud, run.id)}`));
      return 1;
    }
  } else if (policy) {
    out(opaSection(policy));
    if (policy === "hard-failed") {
      saveRun({ ...run, status: "errored" });
      err(diagnostic("Task Stage failed."));
      return 1;
    }
    if (policy === "soft-failed") {
      // An overridable failure asks "Do you want to override the failed policies?"; with -input=false
      // and no terminal the question gets end-of-file (backend_taskStages.go processStageOverrides).
      out("--------------------------------\n\n\u2192\u2192 Override\n\nDo you want to override the failed policies?\n  Only 'override' will be accepted to override.\n\n  Enter a value: ");
      saveRun({ ...run, status: "post_plan_awaiting_decision" });
      err(diagnostic(`Failed to override: Error asking \u2192\u2192 [bold]Override: EOF\n\nTo view this run in a browser, visit:\n${runUrl(cloud, run.id)}`));
      return 1;
    }
    out("------------------------------------------------------------------------\n");
  }
  saveRun({ ...run, status: hasChanges ? "planned" : "planned_and_finished", hasChanges });
  if (planOut) {
    fs.writeFileSync(path.resolve(planOut), JSON.stringify({ remote_plan_format: 1, run_id: run.id, hostname: cloud.hostname }));
    out(`\nSaved the plan to: ${planOut}\n`);
  }
  return args.includes("-detailed-exitcode") && hasChanges ? 2 : 0;
}

/** `terraform show -json <saved cloud plan>`: the run's unredacted JSON plan, for workspace admins only. */
function show({ file, behaviour, version, out, err }) {
  const bookmark = readBookmark(file);
  const run = bookmark && loadRun(bookmark.run_id);
  if (!run) return undefined;
  if (behaviour.jsonPlanDenied) {
    err(
      diagnostic(
        "Couldn't show cloud plan",
        `Plan read error: couldn't read unredacted JSON plan data for cloud run ${run.id}; make sure you've run \`terraform login\` and that you have admin permissions on the workspace`,
      ),
    );
    return 1;
  }
  out(JSON.stringify({ format_version: "1.2", terraform_version: version, resource_changes: run.changes }) + "\n");
  return 0;
}

const UNUSABLE = {
  applied: ["Saved plan is already applied", "The given plan file was already successfully applied, and cannot be applied again."],
  confirmed: ["Saved plan is already confirmed", "The given plan file is already being applied, and cannot be applied again."],
  canceled: ["Saved plan is canceled", `The given plan file can no longer be applied because the run was canceled via the ${APP_NAME} UI or API.`],
  discarded: ["Saved plan is discarded", `The given plan file can no longer be applied; either another run was applied first, or a user discarded it via the ${APP_NAME} UI or API.`],
  errored: ["Saved plan is errored", "The given plan file refers to a plan that had errors and did not complete successfully. It cannot be applied."],
  planned_and_finished: ["Saved plan has no changes", "The given plan file contains no changes, so it cannot be applied."],
  policy_override: ["Saved plan requires policy override", "The given plan file has soft policy failures, and cannot be applied until a user with appropriate permissions overrides the policy check."],
};

/**
 * `terraform apply <saved cloud plan>`: confirms the run, without asking, if Terraform Cloud can still
 * apply it (backend_apply.go opApply, unusableSavedPlanError). Returns undefined for a local plan file.
 */
function apply({ cloud, file, behaviour, serial, applyState, out, err }) {
  const bookmark = readBookmark(file);
  if (!bookmark) return undefined;
  const run = loadRun(bookmark.run_id);
  if (behaviour.vcs) {
    err(diagnostic("Apply not allowed for workspaces with a VCS connection", "A workspace that is connected to a VCS requires the VCS-driven workflow to ensure that the VCS remains the single source of truth."));
    return 1;
  }
  let status = behaviour.runState || run.status;
  if (behaviour.runState === "applied" && run.status !== "applied") {
    // Someone confirmed it in the UI: Terraform Cloud applied it.
    applyState(run);
    saveRun({ ...run, status: "applied" });
  }
  // Terraform Cloud discards a saved plan once the state it was planned against changed.
  if (status === "planned" && run.serial !== serial) status = "discarded";
  if (status !== "planned") {
    const [summary, reason] = UNUSABLE[status] || [
      "Saved plan cannot be applied",
      `${APP_NAME} cannot apply the given plan file. This may mean the plan and checks have not yet completed, or may indicate another problem.`,
    ];
    if (status === "discarded") saveRun({ ...run, status });
    err(diagnostic(summary, `${reason} For more details, view this run in a browser at:\n${runUrl(cloud, run.id)}`));
    return 1;
  }
  out(`Running apply in ${APP_NAME}. Output will stream here. Pressing Ctrl-C\nwill stop streaming the logs, but will not stop the apply running remotely.\n\nPreparing the remote apply...\n\n`);
  out(`To view this run in a browser, visit:\n${runUrl(cloud, run.id)}\n\n`);
  if (behaviour.apply === "fail") {
    saveRun({ ...run, status: "errored" });
    err(diagnostic("creating IAM Role (TrelicaIntegration): EntityAlreadyExists: Role with name TrelicaIntegration already exists."));
    return 1;
  }
  applyState(run);
  saveRun({ ...run, status: "applied" });
  const added = run.changes.filter((c) => c.change.actions.includes("create")).length;
  const destroyed = run.changes.filter((c) => c.change.actions.includes("delete")).length;
  out(`\nApply complete! Resources: ${added} added, 0 changed, ${destroyed} destroyed.\n`);
  return 0;
}

module.exports = { cloudOf, plan, show, apply, readBookmark };
