// Two builds of the same input give the same bytes. Nothing the generator
// writes depends on the current time, with one exception it cannot control:
// Chromium stamps each PDF with the moment it was printed. Those stamps are
// replaced, in place and at the same length (so the PDF's offsets stay valid),
// by the report's date: `date` in report.yml, else SOURCE_DATE_EPOCH (the
// reproducible-builds convention), else the start of 1970. A tagged PDF also
// names table cells after Chromium's DOM node numbers (`node00000393`), which
// differ from one run to the next; they are renumbered in order of first use.
// The Word document is dated the same way, and its zip and random ids are made
// to repeat too.

import { unzipSync, zipSync } from 'fflate'

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

/**
 * The Word document with the same bytes for the same content: its creation
 * and modification dates set to `date`, its language named, the relationship
 * ids the docx package draws at random renumbered in order, and every file in
 * the zip stamped with `date`.
 */
export function stampDocx(docx: Uint8Array, date: Date, language: string): Uint8Array {
  const files = unzipSync(docx)
  const decoder = new TextDecoder()
  const encoder = new TextEncoder()
  const texts = new Map<string, string>()
  for (const [name, bytes] of Object.entries(files)) if (/\.(xml|rels)$/.test(name)) texts.set(name, decoder.decode(bytes))
  // Relationship ids are random unless they are rIdN: number the others in the order their files list them.
  const renamed = new Map<string, string>()
  for (const [name, text] of [...texts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!name.endsWith('.rels')) continue
    for (const match of text.matchAll(/\bId="([^"]+)"/g)) {
      if (!/^rId\d+$/.test(match[1]!) && !renamed.has(match[1]!)) renamed.set(match[1]!, `rIdF${renamed.size + 1}`)
    }
  }
  // Bookmark and drawing ids come from counters that run on from one document to the next: count them from 1.
  const bookmarks = new Map<string, number>()
  let drawings = 0
  const iso = `${date.toISOString().slice(0, 19)}Z`
  for (const [name, text] of texts) {
    let fixed = renamed.size === 0 ? text : text.replace(/(\s[\w:]+=")([^"]*)"/g, (whole, head: string, value: string) => (renamed.has(value) ? `${head}${renamed.get(value)}"` : whole))
    fixed = fixed
      .replace(/(<w:bookmark(?:Start|End)\b[^>]*?\bw:id=")(\d+)"/g, (_whole, head: string, id: string) => {
        if (!bookmarks.has(id)) bookmarks.set(id, bookmarks.size + 1)
        return `${head}${bookmarks.get(id)}"`
      })
      .replace(/(<wp:docPr\b[^>]*?\bid=")(\d+)"/g, (_whole, head: string) => `${head}${++drawings}"`)
    if (name === 'docProps/core.xml') {
      fixed = fixed.replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*/g, `$1${iso}`)
      if (!fixed.includes('<dc:language>')) fixed = fixed.replace('</cp:coreProperties>', `<dc:language>${escapeXml(language)}</dc:language></cp:coreProperties>`)
    }
    files[name] = encoder.encode(fixed)
  }
  // Zip timestamps are local times from 1980 on: the report's date as read on a clock in UTC.
  const stamp = Math.max(date.getTime(), Date.UTC(1980, 0, 1))
  const utc = new Date(stamp)
  const mtime = new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds())
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, [bytes, { mtime, level: 6 }] as const])))
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
