// Runs graphql-http's server audits (the GraphQL-over-HTTP specification) against a
// running Jobtrack and fails on any error or warning. Notices are printed: each is a
// choice the specification leaves open, explained in the README.
// Usage: node graphql-http-audit.mjs http://127.0.0.1:PORT/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
const bad = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  counts[result.status] += 1;
  if (result.status !== 'ok') {
    const line = `${result.status.toUpperCase()} ${audit.id} ${audit.name}: ${result.reason}`;
    console.log(line);
    if (result.status === 'warn' || result.status === 'error') bad.push(line);
  }
}
console.log(`graphql-http audits: ${counts.ok} ok, ${counts.notice} notice, ${counts.warn} warn, ${counts.error} error`);
process.exit(bad.length === 0 ? 0 : 1);
