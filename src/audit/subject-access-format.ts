/**
 * The subject access report as CSV or a printable HTML page, from the same report the JSON
 * download gives. Both name organisations rather than show their ids (a column of organisation ids
 * shows their names), since the child or family reading it cannot look ids up.
 * CSV is long form — section, record, field, value — because the sections have different columns;
 * a value that a spreadsheet would run as a formula is prefixed with an apostrophe.
 */
export type ReportFormat = 'json' | 'csv' | 'html';

type Row = Record<string, unknown>;
export interface SubjectAccessReportData {
  generatedAt: string;
  childId: string;
  mergedChildIds: string[];
  records: Record<string, Row[]>;
  accessHistory: Row[];
}

const ORGANISATION_FIELD = /(^|_)organisation_ids?$|OrganisationIds?$|^organisationIds?$/;

/** The organisation ids a report mentions. */
export function organisationIdsIn(report: SubjectAccessReportData): string[] {
  const ids: string[] = [];
  for (const row of [...Object.values(report.records).flat(), ...report.accessHistory]) {
    for (const [k, v] of Object.entries(row)) {
      if (!ORGANISATION_FIELD.test(k)) continue;
      for (const id of Array.isArray(v) ? v : [v]) if (typeof id === 'string') ids.push(id);
    }
  }
  return ids;
}

function sections(report: SubjectAccessReportData): [string, Row[]][] {
  return [...Object.entries(report.records), ['access_history', report.accessHistory]];
}

function shown(field: string, value: unknown, names: ReadonlyMap<string, string>): string {
  if (ORGANISATION_FIELD.test(field) && typeof value === 'string') return names.get(value) ?? 'unknown organisation';
  if (ORGANISATION_FIELD.test(field) && Array.isArray(value))
    return value.map((id) => names.get(String(id)) ?? 'unknown organisation').join('; ');
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function displayField(field: string): string {
  return ORGANISATION_FIELD.test(field) ? field.replace(/_?[iI]d(s?)$/, '$1') : field;
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function reportCsv(report: SubjectAccessReportData, names: ReadonlyMap<string, string>): string {
  const lines = ['section,record,field,value'];
  for (const [section, rows] of sections(report)) {
    rows.forEach((row, i) => {
      for (const [field, value] of Object.entries(row))
        lines.push([section, String(i + 1), displayField(field), shown(field, value, names)].map(csvCell).join(','));
    });
  }
  return `${lines.join('\r\n')}\r\n`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function reportHtml(report: SubjectAccessReportData, names: ReadonlyMap<string, string>): string {
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Subject access report</title>',
    '<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em;font-size:.85em}th,td{border:1px solid #999;padding:.2em .4em;text-align:left;vertical-align:top}@media print{h2{page-break-before:always}}</style>',
    '</head><body>',
    `<h1>Subject access report</h1><p>Generated ${esc(report.generatedAt)}. Record ${esc(report.childId)}${report.mergedChildIds.length ? `, with merged records ${esc(report.mergedChildIds.join(', '))}` : ''}.</p>`,
  ];
  for (const [section, rows] of sections(report)) {
    parts.push(`<h2>${esc(section.replace(/_/g, ' '))} (${rows.length})</h2>`);
    if (rows.length === 0) continue;
    const fields = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    parts.push(
      `<table><thead><tr>${fields.map((f) => `<th>${esc(displayField(f))}</th>`).join('')}</tr></thead><tbody>`,
    );
    for (const row of rows)
      parts.push(`<tr>${fields.map((f) => `<td>${esc(shown(f, row[f], names))}</td>`).join('')}</tr>`);
    parts.push('</tbody></table>');
  }
  parts.push('</body></html>\n');
  return parts.join('\n');
}

/** `format` (json, csv, html) when given, else the first of those the Accept header names, else JSON. */
export function reportFormat(format: unknown, accept: string | undefined): ReportFormat | null {
  if (format !== undefined) return format === 'json' || format === 'csv' || format === 'html' ? format : null;
  for (const part of (accept ?? '').split(',')) {
    const type = part.split(';')[0]!.trim().toLowerCase();
    if (type === 'text/csv') return 'csv';
    if (type === 'text/html') return 'html';
    if (type === 'application/json') return 'json';
  }
  return 'json';
}
