// Pages rendered through the report's template overrides come from content, so
// they are held to what the built-in templates promise (SECURITY.md): the
// page's Content-Security-Policy comes before anything it loads, the only
// scripts are the generator's own files, and nothing redirects the reader.
// Page bodies are sanitized before any template sees them; this checks what an
// override writes around them. Pure.

import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { visit } from '../markdown/visit.js'
import { createMessage, type Message } from '../messages.js'
import { findFeatures, noFeatures, type PageFeatures } from '../render/features.js'
import { rootFinder } from '../render/notfound.js'

/**
 * The policy every page carries; the search page adds WebAssembly for Pagefind, and a 404 page
 * for a site with no known address the hash of its one script (render/notfound.ts). A page with
 * diagrams lets Mermaid style its drawings, and a page with frames names the origins they load
 * (render/features.ts). Kept in step with templates/base.liquid (tests/overrides.test.ts).
 */
export function contentPolicy(wasm: boolean, scriptHash?: string, features: PageFeatures = noFeatures()): string {
  const script = `'self'${wasm ? " 'wasm-unsafe-eval'" : ''}${scriptHash ? ` '${scriptHash}'` : ''}`
  const style = `'self'${features.diagrams ? " 'unsafe-inline'" : ''}`
  const frames = features.frames.length > 0 ? ` frame-src ${features.frames.join(' ')};` : ''
  return `default-src 'self'; script-src ${script}; style-src ${style}; img-src 'self' data:;${frames} object-src 'none'; base-uri 'none'; form-action 'self'`
}

/** Elements that load or run something, which must come after the policy. */
const loading = new Set(['script', 'link', 'style', 'iframe', 'object', 'embed', 'img', 'base'])

/**
 * What is wrong with a page rendered through overrides, as sentences; none for
 * a page the built-in templates could have made. `file` is its output path and
 * `basePath` where the site lives (`/` or `/report/`), for addresses from the root.
 */
export function unsafeTemplateOutput(file: string, html: string, basePath: string | null = '/'): string[] {
  const tree: Root = fromHtml(html)
  // Only the 404 page of a site with no known address finds its root with the generator's own inline script.
  const finder = file === '404.html' && basePath === null
  // A page's frames (sandboxed as the sanitizer makes them) and diagrams are read from the page itself.
  const features = noFeatures()
  findFeatures(tree, features)
  const policies = new Set(finder ? [contentPolicy(false, rootFinder.hash)] : [contentPolicy(false, undefined, features), contentPolicy(true, undefined, features)])
  const problems: string[] = []
  let policy = false
  const base = basePath ?? '/'
  const pageUrl = new URL(file, `http://site${base}`)
  visit(tree, 'element', (node: Element) => {
    const equiv = String(node.properties['httpEquiv'] ?? '').toLowerCase()
    if (node.tagName === 'meta' && equiv !== '') {
      if (equiv !== 'content-security-policy') problems.push(`it has a <meta http-equiv="${equiv}">, which the site's pages never have`)
      else if (!policy && policies.has(String(node.properties['content'] ?? '').trim())) policy = true
      else if (!policy) problems.push("its Content-Security-Policy is not the site's own")
      return
    }
    if (loading.has(node.tagName) && !policy) problems.push(`it has a <${node.tagName}> before the site's Content-Security-Policy, which must come first in <head>`)
    if (node.tagName !== 'script') return
    const type = String(node.properties['type'] ?? '').toLowerCase()
    const src = node.properties['src']
    if (src === undefined) {
      const own = type === 'application/ld+json' || (finder && node.children.map((c) => (c.type === 'text' ? c.value : '')).join('') === rootFinder.text)
      if (!own) problems.push('it has a script written in the page; scripts must be the generator\'s own files')
      return
    }
    const url = new URL(String(src), pageUrl)
    const path = url.pathname
    const own = url.origin === pageUrl.origin && path.startsWith(base) && /^assets\/[\w.-]+\.js$/.test(path.slice(base.length))
    if (!own) problems.push(`it loads the script \`${String(src)}\`; scripts must be the generator's own files in assets/`)
  })
  if (!policy) problems.push("it does not carry the site's Content-Security-Policy")
  return [...new Set(problems)]
}

/**
 * Check every page when the report has overrides: each problem is an error once,
 * at the override most likely to have caused it (the page layout, when it is overridden).
 */
export function checkOverriddenPages(files: ReadonlyMap<string, string>, overrides: Record<string, string>, basePath: string | null = '/'): Message[] {
  const names = Object.keys(overrides).sort()
  if (names.length === 0) return []
  const blamed = overrides['base.liquid'] ?? overrides[names[0]!]!
  const found = new Map<string, string>()
  for (const [file, html] of files) {
    if (!file.endsWith('.html')) continue
    for (const problem of unsafeTemplateOutput(file, html, file === '404.html' ? basePath : '/')) if (!found.has(problem)) found.set(problem, file)
  }
  return [...found].map(([problem, file]) =>
    createMessage(
      'template-output-safe',
      blamed,
      undefined,
      `The page ${file}, made with the template overrides (${names.join(', ')}), cannot be published: ${problem}`,
      "Keep what the built-in templates have in <head> (the Content-Security-Policy first) and their <script> elements; put behaviour you need in a chapter's markdown, and styling in custom.css.",
    ),
  )
}
