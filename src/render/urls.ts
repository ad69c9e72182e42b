// Pretty URLs, written relative to the page that links, so the site works
// under any base path and from a plain static server.

/** The page's folder inside the site: `themes/learners/`, or `` for the landing page. */
export function urlPath(slug: string): string {
  return slug === '' ? '' : `${slug}/`
}

export function outputPath(slug: string): string {
  return slug === '' ? 'index.html' : `${slug}/index.html`
}

/** From a page to the site's root folder: `./`, `../`, `../../`. */
export function rootFrom(slug: string): string {
  return slug === '' ? './' : '../'.repeat(slug.split('/').length)
}

export function hrefFrom(fromSlug: string, toSlug: string, anchor?: string): string {
  const hash = anchor ? fragment(anchor) : ''
  if (fromSlug === toSlug && hash) return hash
  return `${rootFrom(fromSlug)}${encodePath(urlPath(toSlug))}${hash}`
}

/** From a page to a file published at its content path: `themes/map.png` seen from `themes/a/` is `../map.png`. */
export function fileHref(fromSlug: string, path: string): string {
  const from = fromSlug === '' ? [] : fromSlug.split('/')
  const to = path.split('/')
  let common = 0
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++
  return encodePath([...from.slice(common).map(() => '..'), ...to.slice(common)].join('/'))
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}

/** An id safe to use for a page inside the full report. */
export function pageKey(slug: string): string {
  return slug === '' ? 'home' : slug.replace(/[^A-Za-z0-9_-]+/g, '-')
}

/**
 * `#id` for a link to an element of the same page. An id made from text can hold half of a
 * surrogate pair, which encodeURIComponent refuses: it is written as U+FFFD instead.
 */
export function fragment(id: string): string {
  return `#${encodeURIComponent(id.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'))}`
}
