// What the dev server checks in a request before it looks anything up: the
// Host it was sent to, and a path it can trust. The preview may run on a
// checkout of someone's pull request, with any web page open in the same
// browser, so both are read strictly and anything unexpected is refused.

import { networkInterfaces } from 'node:os'

/** Longer than any page or file path of a report; a longer target is refused before it is decoded. */
export const maxTargetLength = 4096

/** A request target read as a path of the site. */
export interface SitePath {
  /** The decoded names between slashes, without empty ones and `.`. */
  names: string[]
  /** Whether the path names a folder: it ends with `/` (or `/.`). */
  folder: boolean
  /** Whether the path was written as `location()` would write it: no `//`, no `.` names. */
  tidy: boolean
  /** The query, `?` included, or empty. */
  search: string
}

/**
 * Read a request target (`req.url`). Returns the status to answer with instead when it is not
 * a path the site can have: 414 when too long, 400 when not a path or not decodable, 404 when a
 * name would leave its folder (`..`, or a slash or backslash hidden in an escape).
 */
export function readTarget(target: string): SitePath | 400 | 404 | 414 {
  if (target.length > maxTargetLength) return 414
  // Browsers send a path; the absolute form (`http://host/path`) is for proxies, `*` for OPTIONS.
  if (!target.startsWith('/')) return 400
  const at = target.indexOf('?')
  const pathname = at < 0 ? target : target.slice(0, at)
  const names: string[] = []
  const parts = pathname.slice(1).split('/')
  let tidy = true
  let name = ''
  for (const [i, part] of parts.entries()) {
    try {
      name = decodeURIComponent(part)
    } catch {
      return 400
    }
    // NUL and other control characters are never in a file name the build accepts.
    if (/[\u0000-\u001f\u007f]/.test(name)) return 400
    if (name === '..' || name.includes('/') || name.includes('\\')) return 404
    if (name === '.' || (name === '' && i < parts.length - 1)) tidy = false
    if (name !== '' && name !== '.') names.push(name)
  }
  // `name` is the last one now.
  return { names, folder: name === '' || name === '.', tidy, search: at < 0 ? '' : target.slice(at) }
}

/**
 * The path to redirect to, built from the decoded names: `/`, or `/` and a name, never `//` or
 * `/\`, which a browser would read as the address of another host.
 */
export function location(path: SitePath, folder: boolean): string {
  const names = path.names.map(encodeURIComponent).join('/')
  const search = path.search.replace(/[^\u0021-\u007e]/g, (c) => encodeURIComponent(c))
  return `/${names}${folder && names !== '' ? '/' : ''}${search}`
}

/**
 * The Host headers the server answers to, lower case: `localhost`, `127.0.0.1` and `[::1]` on its
 * own port, and the address it was told to listen on. Any other name may be a DNS-rebinding page
 * reading the preview; an address that listens on every interface (`0.0.0.0`, `::`) adds the
 * addresses this machine has now, so that a phone on the same network can open the preview by one.
 */
export function allowedHosts(port: number, listenHost: string | undefined): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]'])
  const bracket = (address: string) => (address.includes(':') ? `[${address.toLowerCase()}]` : address.toLowerCase())
  if (listenHost === '0.0.0.0' || listenHost === '::') {
    for (const address of Object.values(networkInterfaces()).flat()) {
      // A link-local IPv6 address needs a zone (`%eth0`) that browsers do not send in Host.
      if (address && !(address.family === 'IPv6' && address.scopeid)) names.add(bracket(address.address))
    }
  } else if (listenHost !== undefined && listenHost !== '') {
    names.add(bracket(listenHost))
  }
  const hosts = new Set<string>()
  for (const name of names) {
    hosts.add(`${name}:${port}`)
    // With no port, Host means port 80.
    if (port === 80) hosts.add(name)
  }
  return hosts
}
