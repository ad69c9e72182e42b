// `fieldnotes dev`: serve the site from memory on 127.0.0.1, watch the
// content, templates and public folders, rebuild after each change through a
// BuildSession, and tell open pages over server-sent events which of them
// changed, or what is wrong. Nothing here prints: the caller gets each update.
//
// The preview may run on a checkout of someone's pull request, with any web
// page open in the same browser. So it answers only to its own Host names
// (request.ts), only GET and HEAD, and reads from disk only through files.ts:
// a content file only while it is the very file the last good build used, a
// static file only from inside the public folder. While the content is broken,
// readers keep the last good pages, held in memory, with the problems shown
// over them; their images and downloads stay only as long as those files are
// unchanged on disk, so a link or a new file put in their place is never served.

import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { internalError } from '../guard.js'
import { reloadScriptFile } from '../root.js'
import type { Message } from '../messages.js'
import { formatMessage, formatSummary } from '../report.js'
import { readInside } from './files.js'
import { vendorSource } from '../load/vendor.js'
import { allowedHosts, location, readTarget } from './request.js'
import { PreviewSearch, type IndexedSearch } from './search.js'
import { BuildSession, type SessionOptions, type SessionUpdate } from './session.js'
import { watchFolders } from './watch.js'

export interface DevServerOptions extends SessionOptions {
  /** Port to listen on. Default: 4321. */
  port?: number
  /**
   * Host to listen on. Default: 127.0.0.1, so the preview is not served to the network. Requests
   * must name the server as `localhost`, `127.0.0.1` or `[::1]` with its port, or by this address;
   * `0.0.0.0` or `::` (every interface, for a preview on another device) also accepts the
   * machine's own addresses, but no host name.
   */
  host?: string
  /** How long to wait after a change for more before building, in milliseconds: an editor's save or a `git checkout` makes one build. Default: 10. */
  settleMs?: number
  /** Called after every build, with what changed and what is wrong. */
  onUpdate?: (update: DevUpdate) => void
  /** Called each time the search index has been made again, after the build it indexes was served. */
  onIndexed?: (result: IndexedSearch) => void
}

export interface DevUpdate extends SessionUpdate {
  /** What started the build: the paths that changed, or `start`. */
  cause: string[]
  /** When the first change of this build was seen, and when its event went out (performance.now()). */
  seenAt: number
  sentAt: number
  /** Whether a site is being served: false until the report first builds without errors. */
  serving: boolean
}

export interface DevServer {
  url: string
  session: BuildSession
  /** Resolves once the search index is made from the last site that built. */
  indexed(): Promise<void>
  close(): Promise<void>
}

const eventsPath = '/__fieldnotes/events'
const scriptPath = '/__fieldnotes/reload.js'
const scriptTag = `<script src="${scriptPath}"></script>`
const methods = 'GET, HEAD'
// How long after a build its full report is made, unless someone asks for it sooner: pages that reload are fetched by then.
// A full report that takes long to make (about 350 ms at 10,000 chapters) waits three times as long as the last one
// took, so that while edits come quickly (an editor saving as one types) it does not hold up the next edit's pages.
const laterMs = 150
const laterWaits = 3
// Sent with every answer: browsers must not guess a type, nor other sites embed what the preview serves.
const everyAnswer = { 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'same-origin' }
// A document that is not one of the generator's pages or static files (an SVG or HTML file from the
// content, the sitemap) opens in a sandbox with nothing to load, should a script get past the build.
// Not for other files: Chromium shows no PDF in a sandbox.
const documents = new Set(['.html', '.svg', '.xml'])
const sandbox = { 'content-security-policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox" }

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.cff': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  // Pagefind's index: gzipped data its script fetches and reads itself, as a static host serves them.
  '.pagefind': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const session = new BuildSession(options)
  const search = new PreviewSearch(options.onIndexed)
  const script = await readFile(reloadScriptFile, 'utf8')
  const clients = new Set<ServerResponse>()
  let problems: { summary: string; text: string } | undefined

  const send = (event: string, data: unknown) => {
    const payload = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const client of clients) client.write(payload)
  }

  const publish = (update: SessionUpdate, cause: string[], seenAt: number, publicChanged: boolean, firstSite: boolean) => {
    if (update.ok) {
      const paths = publicChanged ? ['*'] : update.changed.map(urlOf)
      if (problems) {
        problems = undefined
        send('ok', {})
      }
      // Pages opened before anything built are waiting pages: every path is news to them.
      if (paths.length > 0) send('reload', { paths: firstSite ? ['*'] : paths })
      // Off the reload's path: the pages are served already, and search catches up when Pagefind is done.
      if (update.changed.length > 0 && session.site?.search) search.update(session.site.search)
    } else {
      problems = { summary: formatSummary(update.messages), text: update.messages.map(formatMessage).join('\n') }
      send('problems', problems)
    }
    options.onUpdate?.({ ...update, cause, seenAt, sentAt: performance.now(), serving: session.site !== undefined })
  }

  const rebuild = async (cause: string[], seenAt: number) => {
    const inside = (dir: string) => cause.some((file) => file === dir || file.startsWith(dir + path.sep))
    const publicOnly = cause.length > 0 && cause.every((file) => file.startsWith(session.publicDir + path.sep))
    const contentFile = cause.some((file) => file.startsWith(session.contentDir + path.sep) && !/\.(md|ya?ml)$/i.test(file))
    const hadSite = session.site !== undefined
    let update: SessionUpdate
    if (publicOnly) {
      update = { ok: session.site !== undefined, messages: session.messages, changed: [], parsed: 0 }
    } else {
      try {
        // What changed is known from the watcher once the last build began with it watching, and while it has lost no folder.
        const changed = watchedSince && !watchLost ? cause : undefined
        watchedSince = watching
        update = await session.rebuild({ templatesChanged: inside(session.templatesDir), ...(changed && { changed }) })
      } catch (error) {
        // The build may have stopped before it loaded the content: the next one looks at every file.
        watchedSince = false
        // A bug must not stop the preview: say so like any other problem, and keep serving.
        const file = path.relative(process.cwd(), cause[0] === 'start' || cause[0] === undefined ? session.contentDir : cause[0]) || '.'
        update = { ok: false, messages: [internalError(error, file, 'rebuilding the preview')], changed: [], parsed: 0 }
      }
    }
    publish(update, cause, seenAt, publicOnly || contentFile, !hadSite && cause[0] !== 'start')
    lastBuild = { cause, seenAt }
    // The full report, once readers have had the pages that changed; at once if someone asks for it first.
    clearTimeout(laterTimer)
    if (session.site?.later) laterTimer = setTimeout(() => finishLater(cause, seenAt), Math.max(laterMs, laterWaits * laterTook))
  }

  let laterTimer: NodeJS.Timeout | undefined
  let laterTook = 0
  const finishLater = (cause: string[], seenAt: number) => {
    clearTimeout(laterTimer)
    const started = performance.now()
    const update = session.finishLater()
    if (!update) return
    laterTook = performance.now() - started
    if (!update.ok) {
      problems = { summary: formatSummary(update.messages), text: update.messages.map(formatMessage).join('\n') }
      send('problems', problems)
    } else if (update.changed.length > 0) send('reload', { paths: update.changed.map(urlOf) })
    if (!update.ok || update.messages.length > 0) options.onUpdate?.({ ...update, cause, seenAt, sentAt: performance.now(), serving: true })
  }
  let lastBuild: { cause: string[]; seenAt: number } = { cause: ['start'], seenAt: 0 }
  // Whether the watcher is on, whether it was when the last build began, and whether it has lost a folder it watched.
  let watching = false
  let watchedSince = false
  let watchLost = false

  // Builds run one at a time; changes that come in meanwhile wait for the next one.
  let pending: string[] = []
  let firstSeen = 0
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  const schedule = (file: string) => {
    // The next build leaves a full report of its own for later.
    clearTimeout(laterTimer)
    if (pending.length === 0) firstSeen = performance.now()
    // A save may be told as more than one change to the file (truncated, then written): it is one cause.
    const changed = path.resolve(file)
    if (!pending.includes(changed)) pending.push(changed)
    clearTimeout(timer)
    timer = setTimeout(() => {
      const cause = pending
      const seenAt = firstSeen
      pending = []
      running = running.then(() => rebuild(cause, seenAt))
    }, options.settleMs ?? 10)
  }

  const first = performance.now()
  await rebuild(['start'], first)

  // Every change reported is built: the watcher drops none (watch.ts).
  const watcher = await watchFolders([session.contentDir, session.templatesDir, session.publicDir], {
    ignored: (file) => path.basename(file).startsWith('.') && file !== session.contentDir,
    onChange: schedule,
    onLost: () => (watchLost = true),
  })
  watching = true

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(`Internal error: ${(error as Error).message}`)
    })
  })

  // Known once the server listens: the port may be chosen by the system.
  let hosts = new Set<string>()

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(everyAnswer)) res.setHeader(name, value)
    // 421 rather than 403: the request names another server (RFC 9110, 15.5.20), however it got here.
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) {
      return sendText(res, 421, types['.txt']!, 'This preview does not answer to this Host: open it at localhost, 127.0.0.1 or [::1] on its own port.\n')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', methods)
      return sendText(res, 405, types['.txt']!, `This preview answers only ${methods}.\n`)
    }
    const target = readTarget(req.url ?? '')
    if (target === 404) return notFound(res)
    if (typeof target === 'number') return sendText(res, target, types['.txt']!, target === 414 ? 'This address is too long.\n' : 'This address is not a path.\n')

    const name = target.names.join('/')
    if (target.tidy && !target.folder && name === eventsPath.slice(1)) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' })
      if (req.method === 'HEAD') return void res.end()
      res.write('retry: 500\n\n')
      if (problems) res.write(`event: problems\ndata: ${JSON.stringify(problems)}\n\n`)
      clients.add(res)
      req.on('close', () => clients.delete(res))
      return
    }
    if (target.tidy && !target.folder && name === scriptPath.slice(1)) return sendText(res, 200, types['.js']!, script)

    const site = session.site
    if (!site) {
      // Nothing has built yet: a page that shows the problems, and reloads once the report builds.
      const waiting = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The report does not build yet</title></head><body><h1>The report does not build yet</h1><p>See the problems in the terminal. This page reloads when they are fixed.</p></body></html>'
      return sendText(res, 503, types['.html']!, inject(waiting))
    }
    const key = target.folder ? (name === '' ? 'index.html' : `${name}/index.html`) : name
    if (site.later && (key === site.later.file || name === path.posix.dirname(site.later.file))) finishLater(lastBuild.cause, lastBuild.seenAt)
    // A folder asked for without its slash, or a path with `//` or `.` in it: one redirect to the tidy path,
    // so the pages' relative links work. The address is made from the names, never from what was sent.
    const folder = target.folder || (!path.extname(key) && site.files.has(`${key}/index.html`))
    if (!target.tidy || folder !== target.folder) {
      res.writeHead(301, { location: location(target, folder) })
      return void res.end()
    }
    const document = documents.has(path.extname(key).toLowerCase())
    const page = site.files.get(key)
    if (page !== undefined) {
      const generated = key.endsWith('.html')
      return sendText(res, 200, typeOf(key), generated ? inject(page) : page, document && !generated ? sandbox : {})
    }
    const made = site.binaries?.get(key) ?? (key.startsWith('pagefind/') ? search.get(key) : undefined)
    if (made !== undefined) {
      res.writeHead(200, { 'content-type': typeOf(key), 'cache-control': 'no-store' })
      return void res.end(made)
    }
    const asset = site.assets.get(key)
    // Mermaid comes from the generator's own installed package (load/vendor.ts).
    const vendor = asset ? undefined : vendorSource(key)
    const body = asset
      ? await readInside(session.contentDir, asset.file, asset.stamp)
      : vendor
        ? await readFile(vendor).catch(() => undefined)
        : await readInside(session.publicDir, path.join(session.publicDir, key))
    if (body === undefined) return notFound(res)
    res.writeHead(200, { 'content-type': typeOf(key), 'cache-control': 'no-store', ...(asset && document ? sandbox : {}) })
    res.end(body)
  }

  const notFound = (res: ServerResponse) => {
    const page = session.site?.files.get('404.html')
    sendText(res, 404, types['.html']!, page ? inject(page) : '<!DOCTYPE html><title>Not found</title><h1>Not found</h1>')
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 4321, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      hosts = allowedHosts((server.address() as AddressInfo).port, options.host)
      resolve()
    })
  }).catch(async (error: unknown) => {
    watcher.close()
    throw error
  })
  const address = server.address() as AddressInfo
  // Listening on every interface, the preview is offered at the loopback address, a Host it answers to.
  const shown = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address
  const host = address.family === 'IPv6' ? `[${shown}]` : shown

  return {
    url: `http://${host}:${address.port}/`,
    session,
    indexed: () => search.settled(),
    async close() {
      clearTimeout(timer)
      clearTimeout(laterTimer)
      watcher.close()
      for (const client of clients) client.end()
      clients.clear()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
      await running
      // Pagefind's process is closed when its indexing ends.
      await search.settled()
    },
  }
}

/** The URL path a reader has open for an output file: `themes/a/index.html` is `/themes/a/`. */
export function urlOf(output: string): string {
  return `/${output.replace(/(^|\/)index\.html$/, '$1')}`
}

function inject(html: string): string {
  const at = html.lastIndexOf('</body>')
  return at < 0 ? `${html}${scriptTag}` : `${html.slice(0, at)}${scriptTag}\n${html.slice(at)}`
}

function typeOf(file: string): string {
  return types[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

function sendText(res: ServerResponse, status: number, type: string, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers })
  res.end(text)
}

export type { Message }
