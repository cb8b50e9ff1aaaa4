/**
 * A plain landing page: what this is and where to go. No data, no third-party assets, nothing
 * inline (the hub's Content-Security-Policy allows only same-origin scripts and styles).
 */
export function landingPage(options: { ide?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Early Help Hub</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/landing.css"></head>
<body>
<h1>Early Help Hub</h1>
<p>One record per child for the city's Early Help partnership, shared under the Information Sharing Agreement
with field-level consent, role permissions and a tamper-evident access audit.</p>
<ul>
<li>GraphQL API: <code>POST /graphql</code> with <code>Authorization: Bearer &lt;token&gt;</code> and <code>x-purpose-of-use</code></li>
<li>Data protection officer: <a href="/dpo/">the access audit page</a></li>
${options.ide ? '<li>Development: <a href="/graphiql">GraphQL IDE with the demo personas</a></li>\n' : ''}<li>Health: <a href="/healthz">/healthz</a> · Readiness: <a href="/readyz">/readyz</a></li>
</ul>
</body></html>`;
}

export const LANDING_CSS =
  'body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5 }\n';
