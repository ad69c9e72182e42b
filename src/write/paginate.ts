// What the printed report adds to the full-report page before Chromium prints
// it: what CSS paged media cannot do alone in Chromium. Chromium draws margin
// boxes and named pages but has no `string-set` or `target-counter`, so
//  - each chapter gets a named page whose header is its title;
//  - headings get levels for the PDF's outline: parts, then chapters, then
//    what chapters hold (a finding's number moves out of its heading);
//  - page numbers in the contents and after cross-references come from a
//    printed copy: each print's named destinations say where every target
//    (and every cross-reference, through a hidden link to itself) landed, and
//    the page is printed again until those pages stop moving.
// The scripts are strings, evaluated in the page: a compiled function could
// carry helpers of the bundler that the page does not have.

/** Runs once in the page: running headers, heading levels, and links that make cross-references' places known. */
export function prepareScript(title: string): string {
  return `(() => {
  const title = ${JSON.stringify(title)}
  document.title = title
  const quote = (text) => '"' + text.replace(/\\s+/g, ' ').replace(/["\\\\]/g, '\\\\$&') + '"'
  const rules = ['@page { @top-right { content: ' + quote(title) + ' } }']
  document.querySelectorAll('.chapter-section').forEach((section, i) => {
    const heading = section.querySelector(':scope > h2')
    const name = 'chapter-' + (i + 1)
    rules.push('@page ' + name + ' { @top-right { content: ' + quote(heading ? heading.textContent : title) + ' } }')
    rules.push('#' + CSS.escape(section.id) + ' { page: ' + name + ' }')
    const part = section.previousElementSibling
    if (part && part.matches('.report-part-title')) rules.push('#' + CSS.escape(part.id) + ' { page: ' + name + ' }')
  })
  // Added last, so that the title page's own rule still clears the header.
  rules.push('@page cover { @top-right { content: none } }')
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(rules.join('\\n'))
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
  document.querySelectorAll('.full-report :is(h1, h2, h3, h4, h5, h6)').forEach((heading) => {
    const level = Number(heading.tagName[1])
    const inPart = heading.closest('.chapter-section[data-part]') ? 1 : 0
    heading.setAttribute('aria-level', String(Math.max(1, level - 1 + inPart)))
  })
  // A finding's number is a block above its title: printed just before the heading instead,
  // the outline reads the title alone rather than "FINDING 1Title".
  document.querySelectorAll('.full-report :is(h3, h4, h5, h6) > .item-number').forEach((number) => {
    const label = document.createElement('p')
    label.className = 'item-number'
    label.textContent = number.textContent
    number.parentElement.before(label)
    number.remove()
  })
  const helpers = document.createElement('div')
  helpers.hidden = true
  helpers.id = 'print-helpers'
  let n = 0
  document.querySelectorAll('.chapter-section a[href^="#"]:not([data-footnote-ref], [data-footnote-backref])').forEach((link) => {
    const target = decodeURIComponent(link.getAttribute('href').slice(1))
    if (!document.getElementById(target) || link.closest('.footnotes')) return
    if (!link.id) link.id = 'print-ref-' + ++n
    link.dataset.printTarget = target
    const back = document.createElement('a')
    back.href = '#' + link.id
    helpers.append(back)
  })
  document.body.append(helpers)
})()`
}

/** Runs after each print: page numbers into the contents, and after each cross-reference to another page. */
export function numberScript(pages: ReadonlyMap<string, number>): string {
  return `(() => {
  const pages = new Map(${JSON.stringify([...pages])})
  document.querySelectorAll('.full-contents li > a[href^="#"]').forEach((link) => {
    const page = pages.get(decodeURIComponent(link.getAttribute('href').slice(1)))
    let number = link.nextElementSibling && link.nextElementSibling.matches('.contents-page') ? link.nextElementSibling : null
    if (!number) {
      number = document.createElement('span')
      number.className = 'contents-page'
      link.after(number)
    }
    number.textContent = page === undefined ? '' : String(page)
  })
  document.querySelectorAll('a[data-print-target]').forEach((link) => {
    const there = pages.get(link.dataset.printTarget)
    const here = pages.get(link.id)
    let note = link.querySelector(':scope > .page-ref')
    if (!note) {
      note = document.createElement('span')
      note.className = 'page-ref'
      link.append(note)
    }
    note.textContent = there !== undefined && there !== here ? ' (p. ' + there + ')' : ''
  })
})()`
}
