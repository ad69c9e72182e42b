// The report's contents as HTML lists, made in code rather than in a template:
// every page carries the sidebar, so this runs once per page and must cost
// little. In very long flat lists a page shows only a window around itself,
// so a 10,000-chapter report does not put 10,000 links on every page; the
// landing page always lists everything.

import type { NavEntry } from './model.js'

export interface NavOptions {
  /** The page being rendered; its entry is marked `aria-current="page"`. Undefined on the not-found page, which is no entry's. */
  slug: string | undefined
  /** Relative path from the page to the site's root ('' or '../…'). */
  root: string
  /** Show only a window of lists longer than `navWindow.limit`. Default: every entry. */
  window?: boolean
}

/** Lists up to this long are shown whole; longer ones show `span` entries either side of the current page. */
export const navWindow = { limit: 40, span: 8 } as const

export function renderNav(entries: readonly NavEntry[], options: NavOptions): string {
  return list(entries, options)
}

function list(entries: readonly NavEntry[], options: NavOptions): string {
  let items = entries
  let before = 0
  let after = 0
  if (options.window && entries.length > navWindow.limit) {
    const at = entries.findIndex((entry) => holds(entry, options.slug))
    // A page outside this list (an index page, another part) sees its beginning.
    const start = at < 0 ? 0 : Math.max(0, Math.min(at - navWindow.span, entries.length - 2 * navWindow.span - 1))
    const end = Math.min(entries.length, start + 2 * navWindow.span + 1)
    items = entries.slice(start, end)
    before = start
    after = entries.length - end
  }
  let html = '<ul>'
  if (before > 0) html += more(before, 'earlier', options.root)
  for (const entry of items) html += item(entry, options)
  if (after > 0) html += more(after, 'later', options.root)
  return `${html}</ul>`
}

function item(entry: NavEntry, options: NavOptions): string {
  const current = entry.slug === options.slug && entry.kind !== 'link' ? ' aria-current="page"' : ''
  const title = escapeHtml(entry.title)
  if (entry.kind === 'link') return `<li class="nav-link"><a href="${escapeHtml(entry.url)}" rel="external">${title}</a></li>`
  if (entry.kind === 'chapter') return `<li><a href="${escapeHtml(options.root + entry.url)}"${current}>${title}</a></li>`
  const heading =
    entry.url === ''
      ? `<span class="nav-part-title">${title}</span>`
      : `<a class="nav-part-title" href="${escapeHtml(options.root + entry.url)}"${current}>${title}</a>`
  return `<li class="nav-part">${heading}${list(entry.children, options)}</li>`
}

function more(count: number, which: 'earlier' | 'later', root: string): string {
  const noun = count === 1 ? 'entry' : 'entries'
  return `<li class="nav-more"><a href="${escapeHtml(root)}#contents-heading">${count} ${which} ${noun} in the contents</a></li>`
}

function holds(entry: NavEntry, slug: string | undefined): boolean {
  return (entry.kind !== 'link' && entry.slug === slug && (entry.kind === 'chapter' || entry.url !== '')) || entry.children.some((child) => holds(child, slug))
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' }

/** The same escaping the templates apply to every value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => escapes[c]!)
}
