/*
 * The one module that names the CDK flavour: CDKTF (`cdktf`, the default) or its community continuation
 * CDK Terrain (`cdktn`, the same API under a new name). Every other file imports these names from here,
 * and provider classes from deep paths (`@cdktf/provider-aws/lib/iam-role`), so `npm run switch -- cdktn`
 * only rewrites module specifiers (see scripts/cdk-flavour/). test/cdk-flavour.test.ts fails when any
 * other file imports the flavour's package directly.
 */
export { App, CloudBackend, Fn, Lazy, LocalBackend, Manifest, NamedCloudWorkspace, S3Backend, TaggedCloudWorkspaces, Testing, TerraformOutput, TerraformStack, TerraformVariable, Token, Tokenization } from "cdktf";
export type { StackManifest, TerraformProvider } from "cdktf";
// Types only (erased at run time): the jest matchers that test/setup.ts installs with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";

// The package's own name and version: a switch changes this specifier, never these values.
const flavourPackage: { readonly name: string; readonly version: string } = require("cdktf/package.json");

/** `cdktf` or `cdktn`: the name of the CDK library package in use. */
export const CDK_FLAVOUR: string = flavourPackage.name;

/** The CDK library's version, as it writes it into manifest.json and each stack's metadata. */
export const CDK_VERSION: string = flavourPackage.version;

/** The CLI command of the flavour: `cdktf` (from cdktf-cli) or `cdktn` (from cdktn-cli). */
export const CDK_CLI: string = flavourPackage.name;
