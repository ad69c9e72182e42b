// Two builds of the same input give the same bytes. Nothing the generator
// writes depends on the current time, with one exception it cannot control:
// Chromium stamps each PDF with the moment it was printed. Those stamps are
// replaced, in place and at the same length (so the PDF's offsets stay valid),
// by the report's date: `date` in report.yml, else SOURCE_DATE_EPOCH (the
// reproducible-builds convention), else the start of 1970. A tagged PDF also
// names table cells after Chromium's DOM node numbers (`node00000393`), which
// differ from one run to the next; they are renumbered in order of first use.

/** The moment a build stands for: the report's date, else SOURCE_DATE_EPOCH, else 1970-01-01. */
export function sourceDate(reportDate: string | null | undefined, epoch: string | undefined): Date {
  if (reportDate && /^\d{4}-\d{2}-\d{2}$/.test(reportDate)) return new Date(`${reportDate}T00:00:00Z`)
  const seconds = epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) : 0
  return new Date(seconds * 1000)
}

/** The PDF with every creation and modification date set to `date`, and its structure ids numbered in order. */
export function stampPdf(pdf: Uint8Array, date: Date): Uint8Array {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1')
  const stamp = pdfDate(date)
  const fixed = text.replace(/(\/(?:CreationDate|ModDate)\s*\(D:)([^)]*)\)/g, (_whole, head: string, old: string) => {
    // Same length as before, so the cross-reference offsets stay true.
    return `${head}${stamp.slice(0, old.length).padEnd(old.length, ' ')})`
  })
  const ids = new Map<string, string>()
  const renumbered = fixed.replace(/\((node)(\d+)\)/g, (whole, head: string, digits: string) => {
    if (!ids.has(digits)) ids.set(digits, String(ids.size + 1).padStart(digits.length, '0'))
    const next = ids.get(digits)!
    // An id too short for its new number stays as it is, so that offsets hold.
    return next.length === digits.length ? `(${head}${next})` : whole
  })
  return Buffer.from(renumbered, 'latin1')
}

/** A PDF date in UTC: `20250131000000+00'00'`. */
function pdfDate(date: Date): string {
  const iso = date.toISOString()
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`
}
