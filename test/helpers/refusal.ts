import { UserError } from "../../app/common/errors";

/** The UserError `body` refuses with; fails the test, saying `expected`, when it does not refuse. */
export function refusalOf(body: () => unknown, expected: string): UserError {
  try {
    body();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(expected);
}
