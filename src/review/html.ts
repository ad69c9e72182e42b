// A review sheet as one self-contained HTML file: its styles are inside it,
// it loads nothing from anywhere, and it prints one passage per block with
// room to answer.

import { instructions, type QuoteSheet, type ReportSummary } from './sheets.js'

const styles = `
  :root { color-scheme: light; font: 11pt/1.5 Georgia, "Times New Roman", serif; color: #1a1a1a; }
  body { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .75rem; }
  h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
  dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; }
  dl.meta dt { font-weight: bold; }
  dl.meta dd { margin: 0; }
  .passage { border: 1px solid #999; border-radius: 4px; padding: .9rem 1rem; margin: 0 0 1.25rem; break-inside: avoid; }
  blockquote { margin: 0 0 .75rem; padding-left: .9rem; border-left: 3px solid #555; font-style: italic; }
  .facts { margin: 0 0 .75rem; padding-left: 1.1rem; font-size: .92rem; }
  .choices { list-style: none; margin: 0 0 .5rem; padding: 0; }
  .choices li::before { content: "\\2610\\00a0\\00a0"; }
  .notes { border-bottom: 1px solid #999; height: 4.5rem; margin: 0; }
  .notes-label { margin: 0; font-size: .92rem; }
  a { color: inherit; word-break: break-all; }
  @media print {
    body { margin: 0; max-width: none; }
    .passage { border-color: #000; }
  }
`

export function sheetHtml(sheet: QuoteSheet, report: ReportSummary): string {
  const passages = sheet.quotes.map(
    (quote, i) => `
<section class="passage" aria-labelledby="passage-${i + 1}">
  <h2 id="passage-${i + 1}">Passage ${i + 1} of ${sheet.quotes.length}</h2>
  <blockquote>${quote.text
    .split('\n\n')
    .map((p) => `<p>${escape(p)}</p>`)
    .join('')}</blockquote>
  <ul class="facts">
    <li>${quote.paraphrased ? 'Paraphrased: our summary of what you said' : 'Verbatim: your words as written'}</li>
    <li>Supports: ${quote.finding ? escape(`Finding ${quote.finding.number}: ${quote.finding.title}`) : 'no single finding'}</li>
    <li>Chapter: ${escape(quote.chapter.title)}</li>
    <li>On the site: <a href="${escape(quote.url)}">${escape(quote.url)}</a></li>
    <li>In the source: ${escape(quote.source)}</li>
  </ul>
  <ul class="choices">
    <li>Publish as it stands</li>
    <li>Publish with the changes noted below</li>
    <li>Do not publish</li>
  </ul>
  <p class="notes-label">Changes or comments:</p>
  <div class="notes"></div>
</section>`,
  )
  const reportLine = [report.version && `version ${report.version}`, report.date].filter(Boolean).join(', ')
  const body =
    sheet.quotes.length === 0
      ? '<p>The report does not quote you at present. There is nothing for you to approve.</p>'
      : `<p>${escape(instructions)}</p>${passages.join('')}`
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(`Quotes from ${sheet.id} · ${report.title}`)}</title>
<style>${styles}</style>
</head>
<body>
<main>
<h1>Your quotes in “${escape(report.title)}”</h1>
<dl class="meta">
  <dt>Participant</dt><dd>${escape(sheet.id)}</dd>
  <dt>Shown as</dt><dd>${escape(sheet.shownAs)}</dd>
  ${reportLine ? `<dt>Report</dt><dd>${escape(reportLine)}</dd>` : ''}
  <dt>Passages</dt><dd>${sheet.quotes.length}</dd>
</dl>
${body}
</main>
</body>
</html>
`
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}
