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

/**
 * Which services Trelica may read; a missing flag counts as off. One flag per row of `TRELICA_SERVICES`
 * (the test of the table fails when they differ).
 */
export interface ServiceFlags {
  /** Amazon Cognito: user pools and their users. */
  readonly cognito?: boolean;
  /** Amazon Connect: instances, security profiles and users (and their Directory Service directories). */
  readonly connect?: boolean;
  /** AWS IAM: users. */
  readonly iam?: boolean;
  /** AWS Organizations: accounts (only in the management account or a delegated administrator). */
  readonly organizations?: boolean;
}

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

/** One row of the service table. */
export interface TrelicaServiceEntry {
  /** The service's flag in `ServiceFlags`, such as "iam". */
  readonly name: string;
  /** Such as "AWS IAM". */
  readonly title: string;
  /** The actions Trelica reads the service with. */
  readonly actions: string[];
}

/**
 * The service table for every language CDKTF speaks (jsii has no free functions or constants): the same
 * table and answers as `TRELICA_SERVICES`, `SERVICE_NAMES`, `ALL_SERVICES`, `enabledServices` and `actionsFor`.
 */
export class TrelicaServices {
  /** Every service name, in the table's order. */
  static readonly NAMES: string[] = [...SERVICE_NAMES];
  /** All services on: the vendor's documented policy. */
  static readonly ALL: ServiceFlags = ALL_SERVICES;
  /** `TRELICA_SERVICES`, one entry per service in the table's order. */
  static readonly TABLE: TrelicaServiceEntry[] = SERVICE_NAMES.map((name) => ({
    name,
    title: TRELICA_SERVICES[name].title,
    actions: [...TRELICA_SERVICES[name].actions],
  }));

  /** The names of the services the flags turn on, in the table's order. */
  static enabled(flags: ServiceFlags): string[] {
    return enabledServices(flags);
  }

  /** The sorted, de-duplicated actions of the services the flags turn on. */
  static actionsFor(flags: ServiceFlags): string[] {
    return actionsFor(flags);
  }

  private constructor() {}
}
