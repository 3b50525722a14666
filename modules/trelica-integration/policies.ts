/*
 * The `trelica-aws-role/policies` entry: the service table, the rules and the pure policy renderers, with
 * no import of cdktf or constructs, so a script, a Lambda or a CloudFormation pipeline can render the same
 * policies with nothing else installed. Everything here is also exported from the package's root.
 */
export * from "./services";
export * from "./policy-document";
export * from "./trust-policy";
export * from "./permission-policy";
export * from "./trelica-policies";
export * from "./rules";
