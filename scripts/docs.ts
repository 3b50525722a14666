/* npm run docs: renders the documentation's generated blocks from the code (scripts/docs/generated.ts). */
import { updateDocs } from "./docs/generated";

const updated = updateDocs();
process.stdout.write(updated.length > 0 ? `Updated: ${updated.join(", ")}\n` : "The documentation's generated blocks are up to date.\n");
