/*
 * The CDK names the construct itself uses. The package compiles only modules/trelica-integration/, so it
 * cannot reach ../../cdk-flavour.ts (the app's flavour module); this is the package's own, and
 * `npm run switch` rewrites its specifier like the other's (test/cdk-flavour.test.ts allows these two).
 */
export { Fn, Token, Tokenization } from "cdktf";
