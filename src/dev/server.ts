// `fieldnotes dev`: serve the site from memory on 127.0.0.1, watch the
// content, templates and public folders, rebuild after each change through a
// BuildSession, and tell open pages over server-sent events which of them
// changed, or what is wrong. Nothing here prints: the caller gets each update.

import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import { internalError } from '../guard.js'
import { packageRoot } from '../root.js'
import type { Message } from '../messages.js'
import { formatMessage, formatSummary } from '../report.js'
import { BuildSession, type SessionOptions, type SessionUpdate } from './session.js'

export interface DevServerOptions extends SessionOptions {
  /** Port to listen on. Default: 4321. */
  port?: number
  /** Host to listen on. Default: 127.0.0.1, so the preview is not served to the network. */
  host?: string
  /** Called after every build, with what changed and what is wrong. */
  onUpdate?: (update: DevUpdate) => void
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
  close(): Promise<void>
}

const eventsPath = '/__fieldnotes/events'
const scriptPath = '/__fieldnotes/reload.js'
const scriptTag = `<script src="${scriptPath}"></script>`
// Changes that arrive together (an editor's save, a `git checkout`) make one build.
const settleMs = 20

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
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const session = new BuildSession(options)
  const script = await readFile(path.join(packageRoot, 'src', 'dev', 'reload.js'), 'utf8')
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
        update = await session.rebuild({ templatesChanged: inside(session.templatesDir) })
      } catch (error) {
        // A bug must not stop the preview: say so like any other problem, and keep serving.
        const file = path.relative(process.cwd(), cause[0] === 'start' || cause[0] === undefined ? session.contentDir : cause[0]) || '.'
        update = { ok: false, messages: [internalError(error, file, 'rebuilding the preview')], changed: [], parsed: 0 }
      }
    }
    publish(update, cause, seenAt, publicOnly || contentFile, !hadSite && cause[0] !== 'start')
  }

  // Builds run one at a time; changes that come in meanwhile wait for the next one.
  let pending: string[] = []
  let firstSeen = 0
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  const schedule = (file: string) => {
    if (pending.length === 0) firstSeen = performance.now()
    pending.push(path.resolve(file))
    clearTimeout(timer)
    timer = setTimeout(() => {
      const cause = pending
      const seenAt = firstSeen
      pending = []
      running = running.then(() => rebuild(cause, seenAt))
    }, settleMs)
  }

  const first = performance.now()
  await rebuild(['start'], first)

  const watcher: FSWatcher = watch([session.contentDir, session.templatesDir, session.publicDir], {
    ignoreInitial: true,
    ignored: (file: string) => path.basename(file).startsWith('.') && file !== session.contentDir,
  })
  watcher.on('all', (_event, file) => schedule(file))
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(`Internal error: ${(error as Error).message}`)
    })
  })

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === eventsPath) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' })
      res.write('retry: 500\n\n')
      if (problems) res.write(`event: problems\ndata: ${JSON.stringify(problems)}\n\n`)
      clients.add(res)
      req.on('close', () => clients.delete(res))
      return
    }
    if (url.pathname === scriptPath) {
      res.writeHead(200, { 'content-type': types['.js']!, 'cache-control': 'no-store' })
      res.end(script)
      return
    }
    let key: string
    try {
      key = decodeURIComponent(url.pathname).replace(/^\/+/, '')
    } catch {
      return notFound(res)
    }
    if (key.split('/').includes('..')) return notFound(res)
    if (key === '' || key.endsWith('/')) key += 'index.html'
    const site = session.site
    if (!site) {
      // Nothing has built yet: a page that shows the problems, and reloads once the report builds.
      const waiting = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The report does not build yet</title></head><body><h1>The report does not build yet</h1><p>See the problems in the terminal. This page reloads when they are fixed.</p></body></html>'
      return sendText(res, 503, types['.html']!, inject(waiting))
    }
    if (!path.extname(key) && site.files.has(`${key}/index.html`)) {
      res.writeHead(301, { location: `${url.pathname}/${url.search}` })
      res.end()
      return
    }
    const page = site.files.get(key)
    if (page !== undefined) return sendText(res, 200, typeOf(key), key.endsWith('.html') ? inject(page) : page)
    const file = site.assets.get(key) ?? path.join(session.publicDir, key)
    const body = await readFile(file).catch(() => undefined)
    if (body) {
      res.writeHead(200, { 'content-type': typeOf(key), 'cache-control': 'no-store' })
      res.end(body)
      return
    }
    return notFound(res)
  }

  const notFound = (res: ServerResponse) => {
    const page = session.site?.files.get('404.html')
    sendText(res, 404, types['.html']!, page ? inject(page) : '<!DOCTYPE html><title>Not found</title><h1>Not found</h1>')
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 4321, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  }).catch(async (error: unknown) => {
    await watcher.close()
    throw error
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address

  return {
    url: `http://${host}:${address.port}/`,
    session,
    async close() {
      clearTimeout(timer)
      await watcher.close()
      for (const client of clients) client.end()
      clients.clear()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
      await running
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

function sendText(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(text)
}

export type { Message }
