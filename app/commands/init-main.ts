/* npm run init -- --organization-id <id> [--accounts-file <file> | --account <ids>] ...: app/commands/init-command.ts. */
import { reportUserErrors } from "../common/errors";
import { initCommand } from "./init-command";

void reportUserErrors(() => process.stdout.write(`${initCommand(process.argv.slice(2), process.cwd())}\n`));
