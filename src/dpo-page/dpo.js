// The DPO page's behaviour: plain browser JavaScript, same origin, no framework and no third-party
// requests (the hub's CSP is default-src 'self'). Data is only ever put in the page as text
// (textContent), never as HTML. The token lives in this tab's memory only.

const GRAPHQL = '/graphql';
let token = null;
let lastSearch = null; // { variables, after }
const entries = new Map(); // seq → access log entry

const $ = (id) => document.getElementById(id);

function status(id, message, kind) {
  const el = $(id);
  el.textContent = message;
  el.className = `status${kind ? ` ${kind}` : ''}`;
}

/** POST a GraphQL operation with the token and purpose; throws an Error carrying the hub's code. */
async function gql(query, variables, purpose = 'audit') {
  const res = await fetch(GRAPHQL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose-of-use': purpose },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await res.json();
  } catch {
    throw Object.assign(new Error(`The hub answered HTTP ${res.status}`), { code: 'NETWORK_ERROR' });
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    const ext = e.extensions ?? {};
    throw Object.assign(new Error(e.message), {
      code: ext.code,
      field: ext.field,
      requestId: ext.requestId ?? body.extensions?.requestId ?? res.headers.get('x-request-id'),
    });
  }
  return body.data;
}

const describeError = (e) =>
  `${e.code ? `${e.code}: ` : ''}${e.message}${e.requestId ? ` (request ${e.requestId})` : ''}`;

/** datetime-local value ↔ ISO instant (the input shows the browser's local time). */
const toIso = (local) => new Date(local).toISOString();
function toLocal(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
const utc = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '');

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  if (className) td.className = className;
  row.append(td);
  return td;
}

// ---- sign in -------------------------------------------------------------------------------

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  token = $('token').value.trim();
  status('signin-status', 'Checking the token…');
  try {
    const { me } = await gql('query Me { me { subject role organisationId } }', {});
    if (me.role !== 'dpo') {
      token = null;
      status(
        'signin-status',
        `This token is for role ${me.role}; the access audit is for the data protection officer.`,
        'error',
      );
      return;
    }
    $('whoami').textContent = `Signed in as ${me.subject} (data protection officer)`;
    $('token').value = '';
    status('signin-status', 'Signed in.', 'ok');
    $('signin').hidden = true;
    $('app').hidden = false;
    $('access-id').focus();
  } catch (e) {
    token = null;
    status('signin-status', `Sign in failed: ${describeError(e)}`, 'error');
  }
});

// ---- access log ----------------------------------------------------------------------------

const ID_LABELS = {
  childId: 'Child id (hub id)',
  organisationId: 'Organisation id',
  practitionerId: 'Practitioner (token subject)',
};
for (const radio of document.querySelectorAll('input[name="by"]')) {
  radio.addEventListener('change', () => {
    $('access-id').labels[0].textContent = ID_LABELS[radio.value];
  });
}

const ACCESS_LOG = `query AccessLog($from: DateTime!, $to: DateTime!, $childId: ID, $organisationId: ID, $practitionerId: String, $first: Int!, $after: String) {
  accessLog(from: $from, to: $to, childId: $childId, organisationId: $organisationId, practitionerId: $practitionerId, first: $first, after: $after) {
    count
    nodes { seq occurredAt childId callerSubject callerRole callerOrganisationId clientId purpose operation operationName requestId
      categoriesReturned fieldsReturned basis { category basis } fieldsRedacted { field category code } changes { action fields } flags }
    pageInfo { endCursor hasNextPage }
  }
}`;

$('access-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const by = form.get('by');
  const variables = {
    from: toIso(form.get('from')),
    to: toIso(form.get('to')),
    first: 50,
    childId: null,
    organisationId: null,
    practitionerId: null,
  };
  variables[by] = String(form.get('id')).trim();
  lastSearch = { variables, after: null };
  $('access-table').tBodies[0].replaceChildren();
  entries.clear();
  $('record').hidden = true;
  await loadAccess(true);
});

$('access-more').addEventListener('click', () => loadAccess(false));

async function loadAccess(first) {
  status('access-status', 'Searching…');
  try {
    const { accessLog } = await gql(ACCESS_LOG, { ...lastSearch.variables, after: lastSearch.after });
    const body = $('access-table').tBodies[0];
    for (const e of accessLog.nodes) {
      entries.set(e.seq, e);
      const row = document.createElement('tr');
      row.dataset.seq = e.seq;
      cell(row, e.seq);
      cell(row, utc(e.occurredAt));
      cell(row, e.callerSubject);
      cell(row, e.callerRole);
      cell(row, `${e.operation}${e.operationName ? ` ${e.operationName}` : ''}`);
      cell(row, e.purpose ?? '');
      cell(row, e.childId, 'id');
      cell(row, e.basis.map((b) => `${b.category}: ${b.basis}`).join('; '));
      cell(
        row,
        e.fieldsRedacted.length
          ? `${e.fieldsRedacted.length} (${[...new Set(e.fieldsRedacted.map((r) => r.code))].join(', ')})`
          : 'none',
      );
      const flags = cell(row, '');
      for (const f of e.flags) {
        const s = document.createElement('span');
        s.className = 'flag';
        s.textContent = f;
        flags.append(s);
      }
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'link';
      open.textContent = 'Open';
      open.setAttribute('aria-label', `Open access record ${e.seq}`);
      open.addEventListener('click', () => openRecord(e.seq));
      row.append(document.createElement('td'));
      row.lastChild.append(open);
      body.append(row);
    }
    lastSearch.after = accessLog.pageInfo.endCursor;
    $('access-more').hidden = !accessLog.pageInfo.hasNextPage;
    $('access-table').hidden = body.rows.length === 0;
    const total = body.rows.length;
    status(
      'access-status',
      total === 0
        ? 'No access in this period.'
        : `${total} access record${total === 1 ? '' : 's'} found${accessLog.pageInfo.hasNextPage ? ' (more available)' : ''}.`,
      total ? 'ok' : '',
    );
    if (!first && accessLog.nodes[0]) body.querySelector(`tr[data-seq="${accessLog.nodes[0].seq}"] button`)?.focus();
  } catch (e) {
    status('access-status', `Search failed: ${describeError(e)}`, 'error');
  }
}

function openRecord(seq) {
  const e = entries.get(seq);
  for (const row of $('access-table').tBodies[0].rows) row.classList.toggle('selected', row.dataset.seq === seq);
  $('record-h').textContent = `Access record ${e.seq}`;
  const dl = $('record-dl');
  dl.replaceChildren();
  const add = (term, value) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value || '—';
    dl.append(dt, dd);
  };
  add('When (UTC)', utc(e.occurredAt));
  add('Who', `${e.callerSubject} (${e.callerRole})`);
  add('Organisation', e.callerOrganisationId);
  add('Client application', e.clientId);
  add('Operation', `${e.operation} ${e.operationName ?? ''}`);
  add('Purpose stated', e.purpose);
  add('Child', e.childId);
  add('Request id', e.requestId);
  add('Categories disclosed', e.categoriesReturned.join(', '));
  add('Fields disclosed', e.fieldsReturned.join(', '));
  add('Changes', e.changes.map((c) => `${c.action}: ${c.fields.join(', ')}`).join('; '));
  add('Flags', e.flags.join(', '));
  const fill = (tableId, rows) => {
    const body = $(tableId).tBodies[0];
    body.replaceChildren();
    for (const values of rows) {
      const tr = document.createElement('tr');
      for (const v of values) cell(tr, v);
      body.append(tr);
    }
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(tr, 'None');
      td.colSpan = $(tableId).tHead.rows[0].cells.length;
      body.append(tr);
    }
  };
  fill(
    'record-basis',
    e.basis.map((b) => [b.category, b.basis]),
  );
  fill(
    'record-redacted',
    e.fieldsRedacted.map((r) => [r.field, r.category, r.code]),
  );
  $('record').hidden = false;
  $('record-h').focus();
}

$('record-close').addEventListener('click', () => {
  const seq = [...$('access-table').tBodies[0].rows].find((r) => r.classList.contains('selected'))?.dataset.seq;
  $('record').hidden = true;
  if (seq) $('access-table').querySelector(`tr[data-seq="${seq}"] button`)?.focus();
});

// ---- safeguarding overrides ----------------------------------------------------------------

const OVERRIDES = `query Overrides { overridesAwaitingReview(first: 200) { count nodes { id childId categories justification declaredAt expiresAt declaredByRole declaredBySubject declaredByOrganisationId recipientOrganisationIds } pageInfo { hasNextPage } } }`;
const REVIEW = `mutation Review($id: ID!, $outcome: ReviewOutcome!, $note: String!) { reviewOverride(id: $id, outcome: $outcome, note: $note) { id reviewStatus reviewedAt } }`;

$('overrides-load').addEventListener('click', loadOverrides);

async function loadOverrides() {
  status('overrides-status', 'Loading…');
  try {
    const { overridesAwaitingReview: page } = await gql(OVERRIDES, {});
    const body = $('overrides-table').tBodies[0];
    body.replaceChildren();
    for (const o of page.nodes) {
      const row = document.createElement('tr');
      row.dataset.id = o.id;
      cell(row, utc(o.declaredAt));
      cell(row, o.childId, 'id');
      cell(row, o.categories.join(', '));
      cell(row, o.justification);
      cell(row, `${o.declaredBySubject} (${o.declaredByRole})`);
      cell(row, o.recipientOrganisationIds.join(', '), 'id');
      cell(row, utc(o.expiresAt));
      const review = document.createElement('button');
      review.type = 'button';
      review.textContent = 'Review';
      review.setAttribute('aria-label', `Review override declared ${utc(o.declaredAt)} for child ${o.childId}`);
      review.addEventListener('click', () => openReview(o.id));
      row.append(document.createElement('td'));
      row.lastChild.append(review);
      body.append(row);
    }
    $('overrides-table').hidden = page.nodes.length === 0;
    status(
      'overrides-status',
      page.nodes.length === 0
        ? 'No overrides are waiting for review.'
        : `${page.nodes.length} override${page.nodes.length === 1 ? '' : 's'} waiting for review.`,
      'ok',
    );
  } catch (e) {
    status('overrides-status', `Could not load overrides: ${describeError(e)}`, 'error');
  }
}

function openReview(id) {
  $('review-form').reset();
  $('review-id').value = id;
  $('review-form').hidden = false;
  $('review-h').focus();
}

$('review-cancel').addEventListener('click', () => {
  $('review-form').hidden = true;
  $('overrides-load').focus();
});

$('review-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const id = form.get('id');
  try {
    const { reviewOverride } = await gql(REVIEW, {
      id,
      outcome: form.get('outcome'),
      note: String(form.get('note')).trim(),
    });
    $('review-form').hidden = true;
    $('overrides-table').querySelector(`tr[data-id="${id}"]`)?.remove();
    const left = $('overrides-table').tBodies[0].rows.length;
    $('overrides-table').hidden = left === 0;
    status(
      'overrides-status',
      `Review recorded: ${reviewOverride.reviewStatus.replace('_', ' ')}. ${left} override${left === 1 ? '' : 's'} still waiting.`,
      'ok',
    );
    $('overrides-load').focus();
  } catch (e) {
    status('overrides-status', `Review not recorded: ${describeError(e)}`, 'error');
  }
});

// ---- audit chain ---------------------------------------------------------------------------

$('chain-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  status('chain-status', 'Verifying…');
  try {
    const { verifyAuditChain: v } = await gql(
      'query Verify($from: DateTime!, $to: DateTime!) { verifyAuditChain(from: $from, to: $to) { ok checked firstBrokenSeq reason } }',
      { from: toIso(form.get('from')), to: toIso(form.get('to')) },
    );
    if (v.ok) status('chain-status', `Chain intact: ${v.checked} record${v.checked === 1 ? '' : 's'} checked.`, 'ok');
    else
      status(
        'chain-status',
        `Chain BROKEN at record ${v.firstBrokenSeq}: ${v.reason ?? 'hash mismatch'} (${v.checked} checked).`,
        'error',
      );
  } catch (e) {
    status('chain-status', `Verification failed: ${describeError(e)}`, 'error');
  }
});

// ---- subject access ------------------------------------------------------------------------

$('sar-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const childId = String(new FormData(event.target).get('childId')).trim();
  status('sar-status', 'Preparing the report…');
  try {
    const res = await fetch(`/dpo/subject-access/${encodeURIComponent(childId)}`, {
      headers: { authorization: `Bearer ${token}`, 'x-purpose-of-use': 'subject_access' },
    });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      const e = body.errors?.[0];
      throw Object.assign(new Error(e?.message ?? `HTTP ${res.status}`), {
        code: e?.extensions?.code,
        requestId: e?.extensions?.requestId,
      });
    }
    const blob = await res.blob();
    const name =
      /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `subject-access-${childId}.json`;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status(
      'sar-status',
      `Downloaded ${name} (${blob.size} bytes). The download is recorded in the access audit.`,
      'ok',
    );
  } catch (e) {
    status('sar-status', `Download failed: ${describeError(e)}`, 'error');
  }
});

// ---- defaults: the last 24 hours -----------------------------------------------------------

const now = new Date();
const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
const soon = new Date(now.getTime() + 3_600_000);
for (const id of ['access-from', 'chain-from']) $(id).value = toLocal(dayAgo);
for (const id of ['access-to', 'chain-to']) $(id).value = toLocal(soon);
