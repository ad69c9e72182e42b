// SVG images from the content folder. An SVG file is a document that can run
// script when opened on its own, on the site's origin, so it is published only
// after one allowlist: drawing, text, gradients, filters and links, without
// scripts, event handlers, embedded HTML, animation (which can rewrite a link
// into `javascript:`), external references or editor metadata (which often
// holds its author's name). Removals that change what the image does are
// reported as `html-sanitized` at their place in the SVG file; editor
// metadata and unknown presentation attributes go quietly.

import type { Element, ElementContent, Properties, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { toHtml } from 'hast-util-to-html'
import { find, svg as svgSchema } from 'property-information'
import type { SourceFile } from '../load/files.js'
import { createMessage, type Message, type Place } from '../messages.js'
import { safeDataImage } from './sanitize.js'

/** Larger SVG files are refused: they are data, not figures. */
export const svgSizeLimit = 5_000_000
/** Deeper nesting is refused before it is parsed: the tree walkers recurse. */
export const svgDepthLimit = 200

const elements = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc', 'switch', 'view', 'a', 'style',
  'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'image',
  'text', 'tspan', 'textPath',
  'linearGradient', 'radialGradient', 'stop', 'pattern', 'clipPath', 'mask', 'marker',
  'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix',
  'feDiffuseLighting', 'feDisplacementMap', 'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA',
  'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feMerge', 'feMergeNode', 'feMorphology',
  'feOffset', 'fePointLight', 'feSpecularLighting', 'feSpotLight', 'feTile', 'feTurbulence',
])

/** Elements whose removal changes what the image does, and is reported. Others (editor metadata) go quietly. */
const active = new Set([
  'script', 'foreignObject', 'iframe', 'embed', 'object', 'animate', 'animateMotion', 'animateTransform',
  'animateColor', 'set', 'discard', 'handler', 'listener', 'feImage', 'audio', 'video', 'canvas',
])

const attributes = new Set([
  'id', 'class', 'style', 'lang', 'xml:lang', 'xml:space', 'xmlns', 'xmlns:xlink', 'version', 'role',
  'aria-label', 'aria-labelledby', 'aria-describedby', 'aria-hidden', 'focusable',
  'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'fx', 'fy', 'fr', 'd', 'points', 'pathLength',
  'width', 'height', 'viewBox', 'preserveAspectRatio', 'transform', 'opacity', 'color', 'display', 'visibility', 'overflow',
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin',
  'stroke-miterlimit', 'stroke-dasharray', 'stroke-dashoffset', 'vector-effect', 'paint-order', 'mix-blend-mode', 'isolation',
  'clip-path', 'clip-rule', 'mask', 'filter', 'marker-start', 'marker-mid', 'marker-end', 'shape-rendering', 'text-rendering',
  'image-rendering', 'color-interpolation', 'color-interpolation-filters', 'enable-background',
  'font-family', 'font-size', 'font-weight', 'font-style', 'font-variant', 'font-stretch', 'font-size-adjust',
  'text-anchor', 'dominant-baseline', 'alignment-baseline', 'baseline-shift', 'letter-spacing', 'word-spacing',
  'text-decoration', 'writing-mode', 'direction', 'unicode-bidi', 'dx', 'dy', 'rotate', 'textLength', 'lengthAdjust',
  'startOffset', 'method', 'spacing', 'side',
  'offset', 'stop-color', 'stop-opacity', 'gradientUnits', 'gradientTransform', 'spreadMethod',
  'patternUnits', 'patternContentUnits', 'patternTransform', 'clipPathUnits', 'maskUnits', 'maskContentUnits',
  'markerUnits', 'markerWidth', 'markerHeight', 'refX', 'refY', 'orient',
  'flood-color', 'flood-opacity', 'lighting-color', 'filterUnits', 'primitiveUnits', 'in', 'in2', 'result',
  'stdDeviation', 'mode', 'type', 'values', 'operator', 'k1', 'k2', 'k3', 'k4', 'scale', 'xChannelSelector',
  'yChannelSelector', 'radius', 'baseFrequency', 'numOctaves', 'seed', 'stitchTiles', 'order', 'kernelMatrix',
  'divisor', 'bias', 'targetX', 'targetY', 'edgeMode', 'preserveAlpha', 'surfaceScale', 'diffuseConstant',
  'specularConstant', 'specularExponent', 'kernelUnitLength', 'azimuth', 'elevation', 'pointsAtX', 'pointsAtY',
  'pointsAtZ', 'limitingConeAngle', 'tableValues', 'slope', 'intercept', 'amplitude', 'exponent',
  'requiredFeatures', 'requiredExtensions', 'systemLanguage',
])

export interface CleanSvg {
  /** The sanitized image, or undefined when the file cannot be published. */
  text: string | undefined
  messages: Message[]
}

/** Sanitize an SVG file from the content folder for publishing. */
export function cleanSvg(file: SourceFile): CleanSvg {
  const refuse = (reason: string, hint: string, rule: 'content-size-within-limit' | 'nesting-depth-within-limit' | 'file-publishable') => ({
    text: undefined,
    messages: [createMessage(rule, file.display, undefined, reason, hint)],
  })
  if (file.text.length > svgSizeLimit) {
    return refuse(`This SVG image has ${file.text.length.toLocaleString('en')} characters, more than the ${svgSizeLimit.toLocaleString('en')} an image may have`, 'Simplify the drawing, or save it as a PNG.', 'content-size-within-limit')
  }
  if (tagDepth(file.text) > svgDepthLimit) {
    return refuse(`This SVG image nests elements more than ${svgDepthLimit} deep`, 'Flatten the drawing\'s groups, or save it as a PNG.', 'nesting-depth-within-limit')
  }
  const tree = fromHtml(file.text, { fragment: true })
  const root = tree.children.find((node): node is Element => node.type === 'element')
  if (!root || root.tagName !== 'svg') {
    return refuse('This file has a .svg name but is not an SVG image: it does not start with an `<svg>` element', 'Export the drawing again as SVG, or save it as a PNG.', 'file-publishable')
  }
  const messages: Message[] = []
  const clean = cleanElement(root, file.display, messages)!
  clean.properties['xmlns'] = 'http://www.w3.org/2000/svg'
  if (usesXlink(clean)) clean.properties['xmlnsXLink'] = 'http://www.w3.org/1999/xlink'
  const text = toHtml({ type: 'root', children: [clean] } satisfies Root, { space: 'svg', allowDangerousHtml: true })
  return { text: `${text}\n`, messages }
}

function cleanElement(node: Element, file: string, messages: Message[]): Element | undefined {
  if (!elements.has(node.tagName)) {
    if (active.has(node.tagName)) {
      messages.push(
        createMessage(
          'html-sanitized',
          file,
          placeOf(node),
          `The \`<${node.tagName}>\` element was removed from this SVG image with everything inside it: it can run script or load other content`,
          'SVG images are published without scripts, embedded HTML, animation or external content; see SECURITY.md.',
        ),
      )
    }
    return undefined
  }
  const properties: Properties = {}
  for (const [key, value] of Object.entries(node.properties)) {
    if (value === undefined || value === null) continue
    const name = find(svgSchema, key).attribute
    const written = Array.isArray(value) ? value.join(' ') : String(value)
    const kept = keepAttribute(node.tagName, name, written)
    if (kept !== undefined) properties[key] = kept
    else if (/^on/i.test(name) || /^(?:xlink:)?href$/.test(name) || /url\(|@import/i.test(written)) {
      messages.push(
        createMessage(
          'html-sanitized',
          file,
          placeOf(node),
          /^on/i.test(name)
            ? `The \`${name}\` attribute of \`<${node.tagName}>\` was removed from this SVG image: event handlers never run`
            : `The \`${name}\` of \`<${node.tagName}>\` was removed from this SVG image: it points outside the image`,
          'SVG images may link within themselves (`#id`), to web pages from `<a>`, and embed PNG, JPEG, GIF or WebP images as data: URLs.',
        ),
      )
    }
  }
  const children: ElementContent[] = []
  for (const child of node.children) {
    if (child.type === 'text' && node.tagName === 'style') {
      const css = cleanCss(child.value)
      if (css !== child.value) {
        messages.push(
          createMessage(
            'html-sanitized',
            file,
            placeOf(node),
            'An `@import` or a `url()` outside the image was removed from the style sheet of this SVG image',
            'SVG images are published without references to other files or sites; keep the styles inside the image.',
          ),
        )
      }
      children.push({ type: 'raw', value: cdata(css) })
    } else if (child.type === 'text') children.push({ type: 'text', value: child.value })
    else if (child.type === 'element') {
      const kept = cleanElement(child, file, messages)
      if (kept) children.push(kept)
    }
  }
  return { type: 'element', tagName: node.tagName, properties, children }
}

/** The value an attribute keeps, or undefined when it goes. */
function keepAttribute(tagName: string, name: string, value: string): string | undefined {
  if (name === 'href' || name === 'xlink:href') {
    const url = value.trim()
    if (tagName === 'image') return safeDataImage.test(url) ? url : undefined
    if (tagName === 'a') return /^(?:https?:|mailto:|#|[^:]*$)/i.test(url) && !/^\/\//.test(url) ? url : undefined
    return url.startsWith('#') ? url : undefined
  }
  if (!attributes.has(name)) return undefined
  if (name === 'style') return /@import|url\(\s*['"]?(?!#)/i.test(value) ? undefined : value
  // Paint and clip references may point inside the image only.
  if (/url\(\s*['"]?(?!#)/i.test(value)) return undefined
  return value
}

/** A style sheet without imports and without references outside the image. */
function cleanCss(css: string): string {
  return css.replace(/@import[^;]*;?/gi, '').replace(/url\(\s*['"]?(?!#)[^)]*\)/gi, 'none')
}

/** Style sheets are written as CDATA, so that `<` and `&` in them keep the file well-formed XML. */
function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}

function usesXlink(node: Element): boolean {
  return Object.keys(node.properties).some((key) => key.startsWith('xLink')) || node.children.some((c) => c.type === 'element' && usesXlink(c))
}

function placeOf(node: Element): Place | undefined {
  const start = node.position?.start
  return start ? { line: start.line, column: start.column } : undefined
}

/**
 * How deep the tags of `text` nest, read roughly and in one pass: each `<`
 * up to the next `>` is one tag. It errs on the side of deeper, which is
 * what a limit needs.
 */
export function tagDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let at = text.indexOf('<')
  while (at >= 0) {
    const end = text.indexOf('>', at)
    if (end < 0) break
    const first = text[at + 1]
    if (first === '/') depth--
    else if (first !== '!' && first !== '?' && text[end - 1] !== '/') deepest = Math.max(deepest, ++depth)
    at = text.indexOf('<', end)
  }
  return deepest
}
