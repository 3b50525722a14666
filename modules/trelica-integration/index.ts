export * from "./services";
export * from "./policy-document";
export * from "./trust-policy";
export * from "./permission-policy";
export * from "./rules";
export * from "./trelica-integration-props";
export * from "./trelica-integration";
export * from "./cloudformation-template";
