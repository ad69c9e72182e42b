// What the generator owns in the published site, and what content may put
// there. Content files are published at their own paths, on the same origin as
// the site's scripts, so a file from a pull request could otherwise replace
// `assets/site.js` on every page, or publish an HTML page of its own that runs
// a script, or reconfigure the host. Three rules follow:
// - the generator's folders and files are its own: no chapter or content file
//   lands there;
// - files a browser would execute are not published from content (SVG images
//   are, once sanitized: render/svg.ts);
// - files that configure a host are published only when report.yml names them.

/** Folders of the site that only the generator writes: its scripts and styles, the search index, the dev server's endpoints. */
export const generatorFolders = ['assets', 'pagefind', '__fieldnotes'] as const

/** Files at the site's root that the generator writes (pages are `.html`, which content never publishes). */
export const generatorFiles = ['CITATION.cff', 'sitemap.xml', 'robots.txt', 'report.pdf', 'report.docx', '404.html', 'index.html'] as const

/**
 * URL paths of the pages the generator makes from the index. A chapter may
 * take one: it then becomes that page, its text above the generated part
 * (render/pages.ts). The not-found page is `/404.html`, so a `404.md` chapter
 * is an ordinary page at `/404/`.
 */
export const generatedPages = ['findings', 'recommendations', 'evidence', 'participants', 'full-report', 'bibliography', 'search'] as const

export type GeneratedPage = (typeof generatedPages)[number]

/** The generated page a chapter published at `/slug/` becomes, or undefined; only the exact address merges, in any case. */
export function generatedPageAt(slug: string): GeneratedPage | undefined {
  const lower = slug.toLowerCase()
  return generatedPages.find((page) => page === lower)
}

/**
 * Extensions of files a browser runs or renders as a document that can run
 * script on the site's origin: pages, scripts, styles, XML (through XSLT),
 * feeds, WebAssembly, archived pages and Flash. SVG is one too, but is
 * published once sanitized.
 */
const activeExtensions = new Set([
  'html', 'htm', 'xhtml', 'xht', 'shtml', 'mht', 'mhtml',
  'js', 'mjs', 'cjs', 'jsx', 'css', 'wasm', 'swf',
  'xml', 'xsl', 'xslt', 'rss', 'atom', 'rdf', 'svgz',
  'appcache', 'manifest', 'webmanifest',
])

/** Files that set a static host's headers, redirects, domain or functions when published at the site's root. */
export const hostFiles = [
  '_headers', '_redirects', '_routes.json', '_worker.js', 'CNAME', 'staticwebapp.config.json',
  'vercel.json', 'now.json', 'netlify.toml', 'firebase.json', 'web.config', 'Staticfile', 'serve.json',
] as const

const hostNames = new Set(hostFiles.map((name) => name.toLowerCase()))

export interface PublishProblem {
  kind: 'reserved' | 'active' | 'host'
  reason: string
  hint: string
}

/**
 * Why the content file at `path` (a content path, published at the same
 * path) may not be published, or undefined when it may. `allowedHostFiles`
 * are the host files report.yml names.
 */
export function publishProblem(path: string, allowedHostFiles: ReadonlySet<string> = new Set()): PublishProblem | undefined {
  const lower = path.toLowerCase()
  const first = lower.split('/')[0]!
  if ((generatorFolders as readonly string[]).includes(first) && lower.includes('/')) {
    return {
      kind: 'reserved',
      reason: `it would be published in /${first}/, a folder only the generator writes (its scripts, styles and search index)`,
      hint: `Move the file to another folder, such as \`images/\` or \`files/\`, and change the links to it.`,
    }
  }
  if ((generatorFiles as readonly string[]).some((name) => name.toLowerCase() === lower)) {
    return {
      kind: 'reserved',
      reason: `the generator writes /${path} itself`,
      hint: 'Rename the file, or move it into a folder, and change the links to it.',
    }
  }
  const base = lower.slice(lower.lastIndexOf('/') + 1)
  if (hostNames.has(base) && !allowedHostFiles.has(path)) {
    return {
      kind: 'host',
      reason: `\`${base}\` configures the web host (its headers, redirects or domain), and content may not do that unless report.yml says so`,
      hint: lower.includes('/')
        ? 'Hosts read this file only at the top of the site: move it to the top of the content folder and name it under `host_files:` in report.yml, or rename it.'
        : 'If the report\'s maintainers mean the host to read it, name it under `host_files:` in report.yml; otherwise rename the file.',
    }
  }
  const extension = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : ''
  if (extension === 'liquid') {
    return {
      kind: 'reserved',
      reason: 'it is a page template, which the generator reads and never publishes (docs/theming.md)',
      hint: 'Link to the template where the repository shows it, or put it in a .zip archive to offer it as a download.',
    }
  }
  if (activeExtensions.has(extension)) {
    return {
      kind: 'active',
      reason: `a browser would run or render a \`.${extension}\` file as part of the site, with the site's own rights`,
      hint:
        extension.startsWith('htm') || extension === 'xhtml'
          ? 'Write the page as a markdown chapter instead, or put the file in a .zip archive to offer it as a download.'
          : 'Put the file in a .zip archive to offer it as a download, or link to where it is published elsewhere.',
    }
  }
  return undefined
}

/**
 * Why a chapter published at `/slug/` would clash with the generator's own
 * folders and files, or undefined. Generated pages are not among them: a
 * chapter at one of their addresses becomes that page, and a chapter inside
 * one of their folders (`/findings/governance/`) is a page of its own.
 */
export function reservedSlug(slug: string): string | undefined {
  const lower = slug.toLowerCase()
  const first = lower.split('/')[0]!
  if ((generatorFolders as readonly string[]).includes(first)) return `inside /${first}/, a folder only the generator writes`
  const file = generatorFiles.find((name) => name.toLowerCase() === first)
  if (file !== undefined) return `where the generator writes its own file /${file}`
  return undefined
}
