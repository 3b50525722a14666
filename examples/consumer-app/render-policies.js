// @ts-check
// Renders Trelica's trust and permission policies with plain Node.js: `trelica-aws-role/policies` needs
// no cdktf, constructs or provider installed. The consumer test runs it where only this package is.
const { trustPolicy, permissionPolicy, ALL_SERVICES } = require("trelica-aws-role/policies");

const externalId = process.argv[2] ?? "your-trelica-organization-id";
process.stdout.write(
  `${JSON.stringify({ trust: trustPolicy({ externalId }), permissions: permissionPolicy(ALL_SERVICES) }, null, 2)}\n`,
);
