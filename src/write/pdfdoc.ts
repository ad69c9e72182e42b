// What the PDF writer needs to read from, and add to, the PDF Chromium prints:
// the page each named destination lands on (to number the contents and
// cross-references, then print again), and the document information Chromium
// leaves out (authors, subject, language), added as an incremental update so
// that every byte Chromium wrote stays where it was.

/** Each named destination's page, counted from 1 as the page footers count. */
export function destinationPages(pdf: Uint8Array): Map<string, number> {
  const text = latin1(pdf)
  const objects = new Map<number, string>()
  for (const match of text.matchAll(/(\d+) 0 obj\s*(<<[\s\S]*?>>)\s*(?:endobj|stream)/g)) objects.set(Number(match[1]), match[2]!)
  const catalog = [...objects.values()].find((dict) => /\/Type\s*\/Catalog\b/.test(dict))
  const pageNumbers = new Map<number, number>()
  const walk = (ref: number): void => {
    const dict = objects.get(ref) ?? ''
    if (/\/Type\s*\/Page\b(?!s)/.test(dict)) pageNumbers.set(ref, pageNumbers.size + 1)
    const kids = /\/Kids\s*\[([^\]]*)\]/.exec(dict)?.[1] ?? ''
    for (const kid of kids.matchAll(/(\d+)\s+0\s+R/g)) walk(Number(kid[1]))
  }
  const root = /\/Pages\s+(\d+)\s+0\s+R/.exec(catalog ?? '')?.[1]
  if (root) walk(Number(root))
  const pages = new Map<string, number>()
  const dests = /\/Dests\s+(\d+)\s+0\s+R/.exec(catalog ?? '')?.[1]
  for (const entry of (objects.get(Number(dests)) ?? '').matchAll(/\/([^\s/<>[\]()]+)\s*\[\s*(\d+)\s+0\s+R/g)) {
    const page = pageNumbers.get(Number(entry[2]))
    if (page !== undefined) pages.set(decodeName(entry[1]!), page)
  }
  return pages
}

export interface DocumentInfo {
  /** Joined with commas into the PDF's Author. */
  authors: string[]
  subject: string | null
  /** A BCP 47 tag, the catalog's Lang. */
  language: string | null
}

/**
 * The PDF with `info` added to its information dictionary and catalog. The
 * update rewrites those two objects after the end of the file, with a
 * cross-reference section that points back to Chromium's.
 */
export function addDocumentInfo(pdf: Uint8Array, info: DocumentInfo): Uint8Array {
  const text = latin1(pdf)
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$/.exec(text)
  if (!trailer) return pdf
  const size = /\/Size\s+(\d+)/.exec(trailer[1]!)?.[1]
  const root = /\/Root\s+(\d+)\s+0\s+R/.exec(trailer[1]!)?.[1]
  const infoRef = /\/Info\s+(\d+)\s+0\s+R/.exec(trailer[1]!)?.[1]
  if (!size || !root || !infoRef) return pdf
  const dictOf = (ref: string) => new RegExp(`(?:^|\\s)${ref} 0 obj\\s*<<([\\s\\S]*?)>>\\s*endobj`).exec(text)?.[1]
  const catalog = dictOf(root)
  const oldInfo = dictOf(infoRef)
  if (catalog === undefined || oldInfo === undefined) return pdf

  // Chromium writes some of these itself (the title; lately the language): those are kept.
  const adding = (dict: string, entries: [string, string | null][]) =>
    [dict.trim(), ...entries.filter(([key, value]) => value && !new RegExp(`/${key}\\b`).test(dict)).map(([key, value]) => `/${key} ${value}`)]
  const infoEntries = adding(oldInfo, [
    ['Author', info.authors.length > 0 ? pdfString(info.authors.join(', ')) : null],
    ['Subject', info.subject ? pdfString(info.subject) : null],
  ])
  const catalogEntries = adding(catalog, [
    ['Lang', info.language ? pdfString(info.language) : null],
    ['ViewerPreferences', '<</DisplayDocTitle true>>'],
  ])
  if (infoEntries.length === 1 && catalogEntries.length === 1) return pdf

  let update = text.endsWith('\n') ? '' : '\n'
  const offsets: [number, number][] = []
  for (const [ref, entries] of [[Number(infoRef), infoEntries], [Number(root), catalogEntries]] as const) {
    offsets.push([ref, text.length + update.length])
    update += `${ref} 0 obj\n<<${entries.join('\n')}>>\nendobj\n`
  }
  const xref = text.length + update.length
  update += 'xref\n'
  for (const [ref, offset] of offsets.sort((a, b) => a[0] - b[0])) update += `${ref} 1\n${String(offset).padStart(10, '0')} 00000 n \n`
  update += `trailer\n<</Size ${size}\n/Root ${root} 0 R\n/Info ${infoRef} 0 R\n/Prev ${trailer[2]}>>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.concat([Buffer.from(pdf), Buffer.from(update, 'latin1')])
}

/** A text string in UTF-16 with a byte-order mark, which any text can be written in. */
function pdfString(value: string): string {
  return `<FEFF${Buffer.from(value, 'utf16le').swap16().toString('hex').toUpperCase()}>`
}

/** A PDF name's bytes (`#xx` escapes undone), read as UTF-8 as Chromium writes an element's id. */
function decodeName(name: string): string {
  const bytes = name.replace(/#([0-9A-Fa-f]{2})/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

function latin1(pdf: Uint8Array): string {
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1')
}
