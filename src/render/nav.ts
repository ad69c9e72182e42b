// The report's contents as a nested list, written once per page in code
// rather than in a template loop: it is the one piece of every page whose
// size grows with the report. Long lists show a window around the current
// chapter, so a page of a 10,000-chapter report stays small.

import type { NavEntry } from './model.js'

export interface NavOptions {
  /** Lists longer than this show a window around the current chapter. Default: 40. */
  limit?: number
  /** Entries shown on each side of the current one in a windowed list. Default: 8. */
  around?: number
}

export function renderNav(entries: NavEntry[], currentSlug: string | undefined, root: string, options: NavOptions = {}): string {
  const limit = options.limit ?? 40
  const around = options.around ?? 8
  const list = (items: NavEntry[]): string => {
    const shown = windowOf(items, currentSlug, limit, around)
    let html = '<ul>'
    let previous = -1
    for (const index of shown) {
      if (index > previous + 1) html += gap(index - previous - 1, root)
      html += item(items[index]!)
      previous = index
    }
    if (previous < items.length - 1) html += gap(items.length - 1 - previous, root)
    return `${html}</ul>`
  }
  const item = (entry: NavEntry): string => {
    const current = entry.slug === currentSlug && entry.kind !== 'link' && (entry.kind === 'chapter' || entry.url !== '')
    const aria = current ? ' aria-current="page"' : ''
    if (entry.kind === 'link') return `<li class="nav-link"><a href="${escape(entry.url)}" rel="external">${escape(entry.title)}</a></li>`
    if (entry.kind === 'part') {
      const title =
        entry.url === ''
          ? `<span class="nav-part-title">${escape(entry.title)}</span>`
          : `<a class="nav-part-title" href="${escape(root + entry.url)}"${aria}>${escape(entry.title)}</a>`
      return `<li class="nav-part">${title}${list(entry.children)}</li>`
    }
    return `<li><a href="${escape(root + entry.url)}"${aria}>${escape(entry.title)}</a></li>`
  }
  return list(entries)
}

/** Indexes of the entries to show: all of a short list, else the ends and a window around the current entry. */
function windowOf(items: NavEntry[], currentSlug: string | undefined, limit: number, around: number): number[] {
  if (items.length <= limit) return items.map((_, i) => i)
  const here = items.findIndex((entry) => contains(entry, currentSlug))
  const keep = new Set<number>([0, items.length - 1])
  const centre = here >= 0 ? here : 0
  for (let i = Math.max(0, centre - around); i <= Math.min(items.length - 1, centre + around); i++) keep.add(i)
  return [...keep].sort((a, b) => a - b)
}

function contains(entry: NavEntry, slug: string | undefined): boolean {
  return entry.slug === slug || entry.children.some((child) => contains(child, slug))
}

function gap(count: number, root: string): string {
  return `<li class="nav-gap"><a href="${escape(root)}#contents-heading">${count} more ${count === 1 ? 'chapter' : 'chapters'}</a></li>`
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
