export * from "./services";
export * from "./policy-document";
export * from "./trust-policy";
export * from "./permission-policy";
export * from "./rules";
export * from "./default-tags";
export * from "./trelica-integration";
export * from "./cloudformation-template";
