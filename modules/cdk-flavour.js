"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CDK_CLI = exports.CDK_VERSION = exports.CDK_FLAVOUR = exports.Tokenization = exports.Token = exports.TerraformStack = exports.TerraformOutput = exports.Testing = exports.TaggedCloudWorkspaces = exports.S3Backend = exports.NamedCloudWorkspace = exports.Manifest = exports.LocalBackend = exports.Lazy = exports.Fn = exports.CloudBackend = exports.App = void 0;
/*
 * The one module that names the CDK flavour: CDKTF (`cdktf`, the default) or its community continuation
 * CDK Terrain (`cdktn`, the same API under a new name). Every other file imports these names from here,
 * and provider classes from deep paths (`@cdktf/provider-aws/lib/iam-role`), so `npm run switch -- cdktn`
 * only rewrites module specifiers (see scripts/cdk-flavour/). test/cdk-flavour.test.ts fails when any
 * other file imports the flavour's package directly.
 */
var cdktf_1 = require("cdktf");
Object.defineProperty(exports, "App", { enumerable: true, get: function () { return cdktf_1.App; } });
Object.defineProperty(exports, "CloudBackend", { enumerable: true, get: function () { return cdktf_1.CloudBackend; } });
Object.defineProperty(exports, "Fn", { enumerable: true, get: function () { return cdktf_1.Fn; } });
Object.defineProperty(exports, "Lazy", { enumerable: true, get: function () { return cdktf_1.Lazy; } });
Object.defineProperty(exports, "LocalBackend", { enumerable: true, get: function () { return cdktf_1.LocalBackend; } });
Object.defineProperty(exports, "Manifest", { enumerable: true, get: function () { return cdktf_1.Manifest; } });
Object.defineProperty(exports, "NamedCloudWorkspace", { enumerable: true, get: function () { return cdktf_1.NamedCloudWorkspace; } });
Object.defineProperty(exports, "S3Backend", { enumerable: true, get: function () { return cdktf_1.S3Backend; } });
Object.defineProperty(exports, "TaggedCloudWorkspaces", { enumerable: true, get: function () { return cdktf_1.TaggedCloudWorkspaces; } });
Object.defineProperty(exports, "Testing", { enumerable: true, get: function () { return cdktf_1.Testing; } });
Object.defineProperty(exports, "TerraformOutput", { enumerable: true, get: function () { return cdktf_1.TerraformOutput; } });
Object.defineProperty(exports, "TerraformStack", { enumerable: true, get: function () { return cdktf_1.TerraformStack; } });
Object.defineProperty(exports, "Token", { enumerable: true, get: function () { return cdktf_1.Token; } });
Object.defineProperty(exports, "Tokenization", { enumerable: true, get: function () { return cdktf_1.Tokenization; } });
// The package's own name and version: a switch changes this specifier, never these values.
const flavourPackage = require("cdktf/package.json");
/** `cdktf` or `cdktn`: the name of the CDK library package in use. */
exports.CDK_FLAVOUR = flavourPackage.name;
/** The CDK library's version, as it writes it into manifest.json and each stack's metadata. */
exports.CDK_VERSION = flavourPackage.version;
/** The CLI command of the flavour: `cdktf` (from cdktf-cli) or `cdktn` (from cdktn-cli). */
exports.CDK_CLI = flavourPackage.name;
