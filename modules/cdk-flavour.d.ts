export { App, CloudBackend, Fn, Lazy, LocalBackend, Manifest, NamedCloudWorkspace, S3Backend, TaggedCloudWorkspaces, Testing, TerraformOutput, TerraformStack, Token, Tokenization } from "cdktf";
export type { StackManifest, TerraformProvider } from "cdktf";
/** `cdktf` or `cdktn`: the name of the CDK library package in use. */
export declare const CDK_FLAVOUR: string;
/** The CDK library's version, as it writes it into manifest.json and each stack's metadata. */
export declare const CDK_VERSION: string;
/** The CLI command of the flavour: `cdktf` (from cdktf-cli) or `cdktn` (from cdktn-cli). */
export declare const CDK_CLI: string;
