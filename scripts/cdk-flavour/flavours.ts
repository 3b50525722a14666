/*
 * The two CDK flavours this program runs on, as data: the packages each pins in package.json and the
 * module specifiers our imports use. scripts/switch-cdk.ts applies one; test/cdk-flavour.test.ts checks
 * that package.json matches the flavour it is on, so a switch and a switch back never move a version.
 */

export type FlavourName = "cdktf" | "cdktn";

export interface Flavour {
  readonly name: FlavourName;
  /** The package.json entries this flavour owns, by section; a switch removes the other flavour's. */
  readonly packages: {
    readonly dependencies: Readonly<Record<string, string>>;
    readonly devDependencies: Readonly<Record<string, string>>;
    /** What the installable construct asks of the app that installs it (docs/construct.md). */
    readonly peerDependencies: Readonly<Record<string, string>>;
    /** npm `overrides`. @default none */
    readonly overrides?: Readonly<Record<string, string>>;
  };
  /** package.json `engines.node`. */
  readonly nodeEngine: string;
  /** The packages our import specifiers name: the CDK library and the AWS provider bindings. */
  readonly modules: { readonly core: string; readonly awsProvider: string };
  /** What every synthesized stack says under `terraform.required_providers.aws`. */
  readonly awsRequirement: { readonly source: string; readonly version: string };
}

export const FLAVOURS: Readonly<Record<FlavourName, Flavour>> = {
  cdktf: {
    name: "cdktf",
    packages: {
      // The app's own pins are devDependencies: the published construct takes the CDK as peers.
      dependencies: {},
      devDependencies: { cdktf: "0.21.0", "@cdktf/provider-aws": "21.22.1", constructs: "10.8.1", "cdktf-cli": "0.21.0" },
      // The ranges the package consumer test has proven (docs/construct.md).
      peerDependencies: { cdktf: "^0.21.0", "@cdktf/provider-aws": "^20.0.0 || ^21.0.0", constructs: "^10.4.2" },
    },
    nodeEngine: ">=20",
    modules: { core: "cdktf", awsProvider: "@cdktf/provider-aws" },
    // The generator wrote the registry's short name; terraform reads it as hashicorp/aws.
    awsRequirement: { source: "aws", version: "~> 6.25" },
  },
  cdktn: {
    name: "cdktn",
    packages: {
      // cdktn and @cdktn/provider-aws both need constructs >=10.6.0 <10.8.0: the newest such is 10.7.2.
      dependencies: {},
      devDependencies: { cdktn: "0.24.0", "@cdktn/provider-aws": "25.7.0", constructs: "10.7.2", "cdktn-cli": "0.24.0" },
      // Not proven by a consumer test (the published package is cdktf's): what cdktn itself declares.
      peerDependencies: { cdktn: "^0.24.0", "@cdktn/provider-aws": "^25.7.0", constructs: ">=10.6.0 <10.8.0" },
      // There is no @cdktn/provider-tfe: @cdktf/provider-tfe's classes run on cdktn when the `cdktf` they
      // require is cdktn itself (cdktf 0.21's elements lack methods cdktn 0.24's stacks call).
      overrides: { cdktf: "npm:cdktn@0.24.0" },
    },
    // cdktn-cli 0.24.0 declares node >=22.19.0; @cdktn/provider-aws 25.7.0 >=22.11.0.
    nodeEngine: ">=22.19",
    modules: { core: "cdktn", awsProvider: "@cdktn/provider-aws" },
    awsRequirement: { source: "hashicorp/aws", version: "~> 6.66" },
  },
};

export const FLAVOUR_NAMES = Object.keys(FLAVOURS) as FlavourName[];
