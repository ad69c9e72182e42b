// The 404 page is served for any missing address, at any depth. With
// `site_url` its links are written from the site's path on the server; without
// it nobody knows that path, so the page finds it itself: a small inline
// script looks for the site's stylesheet in each folder above the address,
// takes the deepest folder that has it as the site's root, and points the
// page's links, stylesheet and scripts there. The script is allowed by its
// hash in the page's Content-Security-Policy, never by 'unsafe-inline'.

import { createHash } from 'node:crypto'

/**
 * Runs in the page's head, before the stylesheet. The page's own addresses are
 * written from `/` (right for a site at the top of its host, and without
 * JavaScript); its scripts are left out of the markup and added here once the
 * root is known, so none runs from the wrong place. Below the top folder, the
 * page stays hidden (through the CSSOM, which the policy allows) until it is
 * styled, or for 3 s at most.
 */
const source = `(() => {
  const html = document.documentElement
  const folders = location.pathname.split('/').slice(1, -1)
  // Deepest first: /report/a/b/missing is looked for in /report/a/b/, /report/a/ and /report/; else the site is at /.
  const candidates = folders.map((_, i) => '/' + folders.slice(0, folders.length - i).map((f) => f + '/').join(''))
  const show = () => html.removeAttribute('style')
  if (candidates.length > 0) {
    html.style.visibility = 'hidden'
    setTimeout(show, 3000)
  }
  const settled = (el) => new Promise((resolve) => { el.addEventListener('load', resolve); el.addEventListener('error', resolve) })
  // Each answer is read to its end, so that none is left open, to be cut off when the reader follows a link.
  const probe = (folder) => fetch(folder + 'assets/style.css', { method: 'HEAD' }).then((r) => r.arrayBuffer().then(() => r.ok)).catch(() => false)
  const parsed = new Promise((resolve) => document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', resolve) : resolve())
  Promise.all([Promise.all(candidates.map(probe)), parsed]).then(([found]) => {
    const root = candidates[found.indexOf(true)] || '/'
    const waits = []
    if (root !== '/') {
      for (const el of document.querySelectorAll('[href], [src], [action], [srcset]')) {
        for (const name of ['href', 'src', 'action', 'srcset']) {
          const value = el.getAttribute(name)
          if (!value || value[0] !== '/' || value[1] === '/') continue
          // A stylesheet loads again from its new address; the page is shown once it has.
          if (name === 'href' && el.matches('link[rel~="stylesheet"]')) waits.push(settled(el))
          el.setAttribute(name, root + value.slice(1))
        }
      }
    }
    for (const file of ['assets/theme.js', 'assets/site.js']) {
      const script = document.createElement('script')
      script.src = root + file
      script.async = false
      waits.push(settled(script))
      document.head.append(script)
    }
    Promise.all(waits).then(show)
  }, show)
})()`

/** The script that finds the site's root from a 404 page, and its CSP source expression. */
export const rootFinder = {
  text: source,
  hash: `sha256-${createHash('sha256').update(source).digest('base64')}`,
} as const
