/** A plain landing page: what this is and where to go. No data, no third-party assets. */
export function landingPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Early Help Hub</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; line-height: 1.5">
<h1>Early Help Hub</h1>
<p>One record per child for the city's Early Help partnership, shared under the Information Sharing Agreement
with field-level consent, role permissions and a tamper-evident access audit.</p>
<ul>
<li>GraphQL API: <code>POST /graphql</code> with <code>Authorization: Bearer &lt;token&gt;</code> and <code>x-purpose-of-use</code></li>
<li>Health: <a href="/healthz">/healthz</a> · Readiness: <a href="/readyz">/readyz</a></li>
</ul>
</body></html>`;
}
