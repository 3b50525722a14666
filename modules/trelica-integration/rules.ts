/**
 * AWS's limits on the values this construct passes to IAM, shared by the construct's own
 * validation and by the app's config schema so both say the same thing. `partial`: what the text
 * around tokens (values known only at apply time) may hold, the tokens taken out.
 */
export const EXTERNAL_ID_RULE = {
  pattern: /^[\w+=,.@:/-]{2,1224}$/,
  partial: /^[\w+=,.@:/-]{0,1224}$/,
  allowed: "2 to 1224 characters of letters, digits and _+=,.@:/-",
};

export const ACCOUNT_ID_RULE = {
  pattern: /^\d{12}$/,
  partial: /^\d{0,12}$/,
  allowed: "exactly 12 digits, as a string",
};

export const POLICY_NAME_RULE = {
  pattern: /^[\w+=,.@-]{1,128}$/,
  partial: /^[\w+=,.@-]{0,128}$/,
  allowed: "1 to 128 characters of letters, digits and _+=,.@-",
};

export const MAX_SESSION_DURATION_RULE = {
  min: 3600,
  max: 43200,
  allowed: "whole seconds from 3600 (1 hour) to 43200 (12 hours)",
};

export const PERMISSIONS_BOUNDARY_RULE = {
  pattern: /^arn:aws(-us-gov|-cn)?:iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,512}$/,
  // Tokens may stand for the partition, the account and parts of the policy's path and name.
  partial: /^arn:[a-z-]*:iam::(\d{0,12}|aws):policy\/[\w+=,.@/-]{0,512}$/,
  allowed: "an IAM policy ARN such as arn:aws:iam::123456789012:policy/Boundary",
};

/** A customer-managed policy's path and name after `policy/` in its ARN, such as "Boundary" or "team/Boundary". */
export const POLICY_PATH_AND_NAME_RULE = {
  pattern: /^(?:[\w+=,.@-]+\/){0,32}[\w+=,.@-]{1,128}$/,
  allowed: "a policy name (1 to 128 characters of letters, digits and _+=,.@-), optionally after a path such as team/",
};

export const DESCRIPTION_RULE = {
  // IAM rejects descriptions over 1000 characters or with control characters; "${" and "%{" would
  // be read as Terraform template syntax in the synthesized JSON.
  pattern: /^(?![\s\S]*[$%]\{)[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]{0,1000}$/,
  partial: /^(?![\s\S]*[$%]\{)[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]{0,1000}$/,
  allowed: 'up to 1000 printable characters, without "${" or "%{"',
};

export const TAGS_RULE = {
  maxCount: 50,
  keyPattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
  valuePattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u,
  keyPartial: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,128}$/u,
  /** AWS keeps tag keys starting with `aws:`, in any case, for itself; IAM refuses them. */
  reservedKeyPrefix: /^aws:/i,
  count: "at most 50 tags (IAM's limit per role and per policy)",
  key: "a tag key of 1 to 128 characters of letters, digits, spaces and _.:/=+-@",
  reservedKey: 'a tag key that does not start with "aws:" in any case (AWS reserves that prefix for its own tags)',
  value: "a tag value of 0 to 256 characters of letters, digits, spaces and _.:/=+-@",
};

/** One broken tag rule: `key` is the tag it is about, or undefined for the tags as a whole. */
export interface TagProblem {
  readonly key?: string;
  readonly got: unknown;
  readonly expected: string;
}

/**
 * IAM's rules on a set of tags, one problem per tag and rule, for both the config and the construct.
 * `added`: tags the program puts beside these (the role's DEFAULT_TAGS), which count toward IAM's limit
 * and which a tag here may repeat but not contradict.
 */
export function tagProblems(tags: Readonly<Record<string, unknown>>, added: Readonly<Record<string, string>> = {}): TagProblem[] {
  const problems: TagProblem[] = [];
  const entries = Object.entries(tags);
  const addedByCase = new Map(Object.entries(added).map(([key, value]) => [key.toLowerCase(), [key, value] as const]));
  const repeatsOurs = ([key, value]: [string, unknown]) => {
    const ours = addedByCase.get(key.toLowerCase());
    return ours !== undefined && ours[0] === key && ours[1] === value;
  };
  const own = entries.filter((entry) => !repeatsOurs(entry));
  const limit = TAGS_RULE.maxCount - addedByCase.size;
  if (own.length > limit) {
    const expected =
      addedByCase.size === 0
        ? `${TAGS_RULE.count}, not ${entries.length}`
        : `at most ${limit} tags besides ${[...addedByCase.values()].map(([key, value]) => `${key}: ${value}`).join(" and ")}, which every role and policy carries (IAM's limit is ${TAGS_RULE.maxCount} per role and per policy), not ${own.length}`;
    problems.push({ got: tags, expected });
  }
  // IAM compares tag keys without case: "Team" and "team" are one tag, and a role cannot carry both.
  const firstByCase = new Map<string, string>();
  for (const [key, value] of entries) {
    if (!TAGS_RULE.keyPattern.test(key)) problems.push({ key, got: key, expected: TAGS_RULE.key });
    else if (TAGS_RULE.reservedKeyPrefix.test(key)) problems.push({ key, got: key, expected: TAGS_RULE.reservedKey });
    const first = firstByCase.get(key.toLowerCase());
    if (first === undefined) firstByCase.set(key.toLowerCase(), key);
    else {
      problems.push({
        key,
        got: key,
        expected: `a tag key that differs from "${first}" by more than case (IAM treats "${first}" and "${key}" as the same key)`,
      });
    }
    const ours = addedByCase.get(key.toLowerCase());
    if (ours && ours[0] !== key) {
      problems.push({ key, got: key, expected: `a tag key other than "${ours[0]}" in any case: the program tags every role and policy ${ours[0]}: ${ours[1]} itself` });
    } else if (ours && value !== ours[1]) {
      problems.push({
        key,
        got: value,
        expected: `"${ours[1]}", or no ${key} tag: the program tags every role and policy ${key}: ${ours[1]}, which an SCP may rely on to protect them (docs/security.md)`,
      });
    } else if (typeof value !== "string" || !TAGS_RULE.valuePattern.test(value)) problems.push({ key, got: value, expected: TAGS_RULE.value });
  }
  return problems;
}
