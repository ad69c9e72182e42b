// The allowlist every page body passes through, and the report of what it
// took out. Raw HTML is parsed first (hast-util-raw), then one schema decides
// which elements, attributes and URLs survive: no scripts, no event handlers,
// no styles, no frames, forms or `<base>`, and no URL schemes but the web's own.
// `data:` URLs pass only as the `src` of an image in a raster format. Each
// removal becomes an `html-sanitized` message at its place in the markdown.
// The one frame a page may hold is the `{iframe}` directive's: it reaches this
// module as a `frame` node, which raw HTML cannot make, and leaves it as a
// sandboxed <iframe> of one fixed form; every <iframe> element is removed.

import type { Data, Element, ElementContent, Node, Properties, Root, RootContent } from 'hast'
import { defaultSchema, sanitize, type Schema } from 'hast-util-sanitize'
import { toHtml } from 'hast-util-to-html'
import { createMessage, type Message, type Place } from '../messages.js'
import type { SourceLines } from '../markdown/source.js'
import { mathmlAttributeLists, mathmlTagNames } from './mathml.js'

const defaultAttributes = defaultSchema.attributes ?? {}

/** A frame made by the `{iframe}` directive (render/myst.ts), turned into an <iframe> only here. */
export interface FrameNode extends Node {
  type: 'frame'
  src: string
  title: string
  /** Width in pixels. Default: the style sheet's. */
  width: number | undefined
  data?: Data
}

declare module 'hast' {
  interface RootContentMap {
    frame: FrameNode
  }
  interface ElementContentMap {
    frame: FrameNode
  }
}

/** What a frame may do: run its own scripts with its own origin's storage (video players need both), nothing more. */
export const frameSandbox = ['allow-scripts', 'allow-same-origin']

/**
 * The origin a frame may load, `https://host[:port]`, or undefined when the
 * address is not one. The origin goes into the page's Content-Security-Policy,
 * so its host is held to plain DNS letters: nothing that could end a directive.
 */
export function frameOrigin(src: string): string | undefined {
  if (!URL.canParse(src)) return undefined
  const url = new URL(src)
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(url.hostname)) return undefined
  return url.origin
}

const linkRel: [string, ...string[]] = ['rel', 'noopener', 'noreferrer', 'nofollow', 'external', 'ugc', 'sponsored']
const linkTarget: [string, ...string[]] = ['target', '_blank']
const frameLoading: [string, ...string[]] = ['loading', 'lazy']
const frameSandboxFlags: [string, ...string[]] = ['sandbox', ...frameSandbox]

export const sanitizeSchema: Schema = {
  ...defaultSchema,
  // Ids are ours to keep unique (see the id rules), and links to them must work as written.
  clobberPrefix: '',
  // Removed with their content; other unknown elements are unwrapped and keep their text.
  // (An <iframe> element never gets this far: see `withOwnFrames`.)
  strip: ['script', 'style', 'template', 'noscript', 'object', 'embed', 'textarea', 'select', 'title'],
  tagNames: [...(defaultSchema.tagNames ?? []), 'figure', 'figcaption', 'abbr', 'mark', 'small', 'cite', 'caption', 'aside', 'u', 'iframe', ...mathmlTagNames],
  // A frame is always sandboxed and loaded when it comes into view.
  required: { ...defaultSchema.required, iframe: { sandbox: frameSandbox, loading: 'lazy' } },
  // Classes are harmless, and our own elements need theirs: allow any class on
  // any element instead of the default's per-element lists.
  attributes: Object.fromEntries(
    Object.entries({
      ...defaultAttributes,
      ...mathmlAttributeLists,
      // What rehype-external-links and the like add to a link, and only that: `target` opens a new tab, no named frame.
      a: [...(defaultAttributes['a'] ?? []), linkRel, linkTarget],
      // The directive's frame and nothing more: no `srcdoc`, no `allow`, no other sandbox flags.
      iframe: ['src', 'title', 'width', frameLoading, frameSandboxFlags],
      // No `name`: `<img name="currentScript">` would replace `document.currentScript` (DOM clobbering),
      // and with the ids kept as written for anchors, `name` is the attribute that reaches `document`.
      '*': [...(defaultAttributes['*'] ?? []).filter((a) => a !== 'name'), 'className', 'id', 'role', 'ariaLabel', 'ariaLabelledBy', 'ariaHidden'],
    }).map(([tag, allowed]) => [tag, tag === '*' ? allowed : allowed.filter((a) => !(Array.isArray(a) && a[0] === 'className'))]),
  ),
  // `data:` is let through here only so that `keepSafeDataUrls` can decide, per element.
  protocols: { ...defaultSchema.protocols, src: [...(defaultSchema.protocols?.['src'] ?? []), 'data'] },
}

/** The only `data:` URLs a page may hold: base64 raster images. SVG can carry script, so it is not one of them. */
export const safeDataImage = /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i

/** Sanitize a page body: the schema, then the rule for `data:` URLs. */
export function cleanTree(tree: Root): Root {
  const clean = sanitize(withOwnFrames(tree), sanitizeSchema) as Root
  keepSafeDataUrls(clean)
  return clean
}

/**
 * Every <iframe> element (raw HTML, or a plugin's) removed with its content, and
 * each directive's frame made into the one <iframe> form the schema keeps.
 * A frame whose address is not an https:// page of another site is dropped.
 */
function withOwnFrames(tree: Root): Root {
  const stack: (Root | Element)[] = [tree]
  while (stack.length > 0) {
    const node = stack.pop()!
    const children: (RootContent | ElementContent)[] = []
    let changed = false
    for (const child of node.children) {
      if (child.type === 'element' && child.tagName === 'iframe') changed = true
      else if (child.type === 'frame') {
        changed = true
        if (frameOrigin(child.src) === undefined) continue
        const properties: Properties = { src: child.src, title: child.title, loading: 'lazy', sandbox: [...frameSandbox] }
        if (child.width !== undefined) properties['width'] = String(child.width)
        children.push({ type: 'element', tagName: 'iframe', properties, children: [] })
      } else {
        children.push(child)
        if (child.type === 'element') stack.push(child)
      }
    }
    if (changed) node.children = children as typeof node.children
  }
  return tree
}

function keepSafeDataUrls(tree: Root): void {
  const stack: (Root | Element)[] = [tree]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === 'element') {
      for (const [key, value] of Object.entries(node.properties)) {
        if (typeof value !== 'string' || !/^\s*data:/i.test(value)) continue
        if (!(node.tagName === 'img' && key === 'src' && safeDataImage.test(value.trim()))) delete node.properties[key]
      }
    }
    for (const child of node.children) if (child.type === 'element') stack.push(child)
  }
}

/**
 * Say what `cleanTree` will remove from `tree`, one message per element,
 * attribute or URL, placed where the markdown wrote it. Each element is
 * checked on its own against the same sanitizer, so the report and the
 * output cannot disagree.
 */
export function auditTree(tree: Root, file: string, source: SourceLines): Message[] {
  const messages: Message[] = []
  const memo = new Map<string, Element | undefined>()
  const stack: { node: Element; ancestors: string[]; place: Place | undefined }[] = []
  // Only elements are pushed: text, comments and a doctype have nothing to report.
  const pushChildren = (children: RootContent[], ancestors: string[], place: Place | undefined) => {
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!
      if (child.type === 'element') stack.push({ node: child, ancestors, place })
    }
  }
  pushChildren(tree.children, [], undefined)

  while (stack.length > 0) {
    const { node, ancestors, place: inherited } = stack.pop()!
    const place = startOf(node) ?? inherited
    const kept = probe(node, ancestors, memo)
    if (!kept || kept.tagName !== node.tagName) {
      messages.push(
        createMessage(
          'html-sanitized',
          file,
          place,
          `The \`<${node.tagName}>\` element was removed${stripped(node.tagName) ? ' with everything inside it' : ''}: it is not allowed in a report`,
          'Use markdown or the HTML listed in SECURITY.md; scripts, styles, frames, forms and embeds are never published.',
        ),
      )
      // A stripped element's content is gone with it, so there is nothing more to report inside.
      if (stripped(node.tagName)) continue
    } else {
      for (const [key, value] of Object.entries(node.properties)) {
        if (value === undefined || value === null) continue
        const after = kept.properties[key]
        if (after !== undefined && String(after) === String(value)) continue
        messages.push(attributeMessage(node, key, value, file, attributePlace(node, key, place, source)))
      }
    }
    pushChildren(node.children, [...ancestors, node.tagName], place)
  }
  return messages
}

/** Where an element starts in the markdown. hast-util-raw leaves some positions without points, so each is checked. */
function startOf(node: Element): Place | undefined {
  const start = node.position?.start as Partial<Place> | undefined
  return typeof start?.line === 'number' && typeof start.column === 'number' ? { line: start.line, column: start.column } : undefined
}

function stripped(tagName: string): boolean {
  return tagName === 'iframe' || (sanitizeSchema.strip?.includes(tagName) ?? false)
}

/** Sanitize one element without its children, under the nearest ancestor the schema cares about. */
function probe(node: Element, ancestors: string[], memo: Map<string, Element | undefined>): Element | undefined {
  const required = sanitizeSchema.ancestors?.[node.tagName]
  const parent = required ? [...ancestors].reverse().find((tag) => required.includes(tag)) : undefined
  const key = `${node.tagName}\u0000${parent ?? ''}\u0000${JSON.stringify(node.properties)}`
  if (memo.has(key)) return memo.get(key)
  const alone: Element = { type: 'element', tagName: node.tagName, properties: structuredClone(node.properties), children: [] }
  const wrapped: ElementContent = parent ? { type: 'element', tagName: parent, properties: {}, children: [alone] } : alone
  const clean = cleanTree({ type: 'root', children: [wrapped] })
  let result = clean.children[0]
  if (parent && result?.type === 'element' && result.tagName === parent) result = result.children[0]
  const element = result?.type === 'element' ? result : undefined
  memo.set(key, element)
  return element
}

function attributeMessage(node: Element, key: string, value: Properties[string], file: string, place: Place | undefined): Message {
  const name = attributeName(key)
  const written = Array.isArray(value) ? value.join(' ') : String(value)
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(written)?.[1]
  if (scheme && isUrlAttribute(key)) {
    return createMessage(
      'html-sanitized',
      file,
      place,
      `The URL \`${shorten(written)}\` in \`${name}\` of \`<${node.tagName}>\` was removed: \`${scheme}:\` URLs are not allowed here`,
      scheme.toLowerCase() === 'data'
        ? 'Only PNG, JPEG, GIF and WebP images may be inlined as data: URLs; save anything else as a file next to the chapter.'
        : 'Link with http(s), mailto or a relative path.',
    )
  }
  return createMessage(
    'html-sanitized',
    file,
    place,
    `The \`${name}\` attribute of \`<${node.tagName}>\` was removed${/^on/i.test(name) ? ': event handlers never run on a report page' : ''}`,
    'Event handlers, inline styles and unknown attributes are not published; see SECURITY.md for what is allowed.',
  )
}

const urlAttributes = new Set(['href', 'src', 'cite', 'longDesc', 'action', 'formAction', 'poster', 'background', 'data', 'srcSet'])

function isUrlAttribute(key: string): boolean {
  return urlAttributes.has(key)
}

/** The attribute as written in HTML (`onclick`), from the property name hast uses (`onClick`). */
function attributeName(key: string): string {
  // `true` makes hast-util-to-html write the bare name of any attribute, boolean or not.
  const html = toHtml({ type: 'element', tagName: 'x', properties: { [key]: true }, children: [] })
  return /^<x ([^\s=>]+)/.exec(html)?.[1] ?? key
}

/** Where an attribute sits on the source line of its element, when it can be found there. */
function attributePlace(node: Element, key: string, place: Place | undefined, source: SourceLines): Place | undefined {
  const end = (node.position?.end as Partial<Place> | undefined)?.line
  if (!startOf(node) || !place) return place
  const name = attributeName(key).toLowerCase()
  for (let line = place.line; line <= Math.min(end ?? place.line, place.line + 20); line++) {
    const text = source.line(line).toLowerCase()
    const from = line === place.line ? place.column - 1 : 0
    // The name follows a space, a quote or a slash, or starts a continuation line.
    const at = new RegExp(`(?:^|[\\s"'/])(${name.replace(/[-:]/g, '\\$&')})(?=[\\s=/>]|$)`, 'd').exec(text.slice(from))
    if (at?.indices?.[1]) return { line, column: from + at.indices[1][0] + 1 }
  }
  return place
}

function shorten(url: string): string {
  const flat = url.replace(/\s+/g, ' ').trim()
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat
}
