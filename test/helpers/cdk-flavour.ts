import { CDK_FLAVOUR, CDK_VERSION } from "../../modules/cdk-flavour";
import { Flavour, FLAVOURS } from "../../scripts/cdk-flavour/flavours";

/** The flavour this checkout is on (`npm run switch`): what its stacks say about the AWS provider. */
export const flavour: Flavour = FLAVOURS[CDK_FLAVOUR as keyof typeof FLAVOURS];

/**
 * A synthesized stack as cdktf would have written it, for snapshots reviewed on cdktf: on another flavour
 * its known differences (the AWS provider's source and version constraint, the library version in the
 * metadata) are first checked against what that flavour must write, then given cdktf's values. On cdktf
 * the stack is returned as it is.
 */
export function asOnCdktf(json: any): any {
  if (flavour.name === "cdktf") return json;
  expect(json.terraform.required_providers.aws).toEqual(flavour.awsRequirement);
  expect(json["//"].metadata.version).toBe(CDK_VERSION);
  const copy = structuredClone(json);
  copy.terraform.required_providers.aws = { ...FLAVOURS.cdktf.awsRequirement };
  copy["//"].metadata.version = FLAVOURS.cdktf.packages.devDependencies.cdktf;
  return copy;
}
