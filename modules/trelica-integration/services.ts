/**
 * The one table of what Trelica reads, per AWS service (from the vendor's setup page).
 * Nothing else in this repository spells an IAM action name.
 */
export const TRELICA_SERVICES = {
  cognito: {
    title: "Amazon Cognito",
    actions: ["cognito-idp:ListUserPools", "cognito-idp:ListUsers"],
  },
  connect: {
    title: "Amazon Connect",
    // Connect instances may use a Directory Service directory for identity.
    actions: [
      "connect:ListInstances",
      "connect:ListSecurityProfiles",
      "connect:ListUsers",
      "connect:DescribeUser",
      "ds:DescribeDirectories",
    ],
  },
  iam: {
    title: "AWS IAM",
    actions: ["iam:ListUsers"],
  },
  organizations: {
    title: "AWS Organizations",
    // Only answers in the management account or a delegated administrator.
    actions: ["organizations:ListAccounts"],
  },
} as const;

export type TrelicaService = keyof typeof TRELICA_SERVICES;

/** Which services Trelica may read; a missing flag counts as off. */
export type ServiceFlags = { readonly [S in TrelicaService]?: boolean };

/** Every service name, in the table's order. */
export const SERVICE_NAMES = Object.keys(TRELICA_SERVICES) as readonly TrelicaService[];

/** All services on: the vendor's documented policy. */
export const ALL_SERVICES: Required<ServiceFlags> = Object.freeze(
  Object.fromEntries(SERVICE_NAMES.map((name) => [name, true])) as Required<ServiceFlags>,
);

export function enabledServices(flags: ServiceFlags): TrelicaService[] {
  return SERVICE_NAMES.filter((name) => flags[name] === true);
}

/** The sorted, de-duplicated actions of the enabled services. */
export function actionsFor(flags: ServiceFlags): string[] {
  const actions = enabledServices(flags).flatMap((name) => TRELICA_SERVICES[name].actions);
  return [...new Set(actions)].sort();
}
