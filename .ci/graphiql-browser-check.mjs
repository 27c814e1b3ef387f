// Opens GraphiQL from a running Jobtrack (demo data) in headless Chromium and follows
// the README: the page loads with no request leaving 127.0.0.1, the documentation
// explorer shows the schema, the employer signs in and posts a competence need.
// Usage: node graphiql-browser-check.mjs http://127.0.0.1:PORT SCREENSHOT.png
import { chromium } from 'playwright-core';

const [base, screenshot] = process.argv.slice(2);
const origin = new URL(base).origin;
const failures = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('request', (request) => {
  const url = request.url();
  if (!url.startsWith(origin) && !url.startsWith('data:')) failures.push(`request outside ${origin}: ${url}`);
});
page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
page.on('console', (message) => {
  if (message.type() === 'error') failures.push(`console error: ${message.text()}`);
});

/** Opens GraphiQL with a query (and headers), runs it, and returns the result text. */
async function run(query, headers, expect) {
  const params = new URLSearchParams({ query });
  if (headers) params.set('headers', JSON.stringify(headers));
  await page.goto(`${base}/graphql?${params}`);
  await page.waitForSelector('.graphiql-execute-button', { timeout: 30000 });
  // The schema is loaded by introspection before the editors offer it.
  await page.waitForFunction(() => !document.querySelector('.graphiql-spinner'), null, { timeout: 30000 });
  await page.click('.graphiql-execute-button');
  const result = await page.waitForFunction((expected) => {
    const editors = [...document.querySelectorAll('.result-window .CodeMirror')];
    const text = editors.map((e) => e.CodeMirror.getValue()).join('\n');
    return text.includes(expected) ? text : null;
  }, expect, { timeout: 30000 });
  return JSON.parse(await result.jsonValue());
}

const login = await run(`mutation {
  login(input: {email: "arbetsgivare@demo.jobtrack.local", password: "jobtrack-demo-2026"}) {
    accessToken
    user { name employer { name } }
  }
}`, null, 'accessToken');
const token = login.data?.login?.accessToken;
if (!token) failures.push(`login failed: ${JSON.stringify(login)}`);

const posted = await run(`mutation {
  postCompetenceNeed(input: {ssykCode: "7212", title: "Svetsare TIG", positions: 2,
                             requirements: {minimumSwedishLevel: SFI_D}}) {
    competenceNeed { id title status occupation { name } employer { name } }
  }
}`, { Authorization: `Bearer ${token}` }, 'postCompetenceNeed');
const need = posted.data?.postCompetenceNeed?.competenceNeed;
if (need?.title !== 'Svetsare TIG') failures.push(`postCompetenceNeed failed: ${JSON.stringify(posted)}`);

// The documentation explorer renders the schema.
await page.click('[aria-label="Show Documentation Explorer"]');
await page.waitForSelector('.graphiql-doc-explorer', { timeout: 10000 });
await page.getByText('Root Types').waitFor({ timeout: 10000 });
await page.click('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name >> text=Query');
await page.getByText('competenceNeeds').first().waitFor({ timeout: 10000 });
await page.screenshot({ path: screenshot });
await browser.close();

console.log(`GraphiQL: signed in as ${login.data?.login?.user?.name}, posted "${need?.title}" (${need?.occupation?.name}); screenshot ${screenshot}`);
if (failures.length) {
  for (const failure of failures) console.log(`FAIL ${failure}`);
  process.exit(1);
}
