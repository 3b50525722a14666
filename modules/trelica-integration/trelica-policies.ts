import { permissionPolicy } from "./permission-policy";
import { ALL_SERVICES, ServiceFlags } from "./services";
import { trustPolicy, TrustPolicyProps } from "./trust-policy";

/**
 * The policy renderers for every language CDKTF speaks (jsii has no free functions): the documents of
 * `trustPolicy` and `permissionPolicy` as the JSON text IAM takes, the same text the construct writes
 * into a Terraform stack when every value is known.
 */
export class TrelicaPolicies {
  /** Lets Trelica's account assume the role only when it presents the customer's external ID. */
  static trustPolicyJson(props: TrustPolicyProps): string {
    return JSON.stringify(trustPolicy(props));
  }

  /**
   * The read-only permissions for the enabled services.
   * @param services @default every service on
   */
  static permissionPolicyJson(services?: ServiceFlags): string {
    return JSON.stringify(permissionPolicy(services ?? ALL_SERVICES));
  }

  private constructor() {}
}
