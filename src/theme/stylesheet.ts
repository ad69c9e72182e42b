// The theme in report.yml as a stylesheet, `assets/theme.css`, loaded after the
// site's own: it sets the custom properties style.css is written with, declares
// the theme's font files, and places the logo. Only values read and written
// back here reach it (colours as hex, lengths and paths checked by the schema),
// so nothing an author writes can add a rule of its own. Pure.

import { fontStacks, isFontStack, type FontRole, type ThemeColour, type ThemeConfig } from '../config/theme.js'
import { cssColour, darkShade, parseColour } from './colour.js'

/** Where the theme's stylesheet is published: a folder only the generator writes. */
export const themeStylesheetPath = 'assets/theme.css'

/** The stacks each role has by default, as style.css sets them. */
const defaultFonts: Record<FontRole, keyof typeof fontStacks> = { body: 'serif', headings: 'sans', code: 'mono' }

/** Both schemes' colour for a theme colour: one written once is the light scheme's, and the dark one a readable shade of it. */
export function schemeColours(value: ThemeColour): { light: string; dark: string } {
  if (typeof value === 'string') {
    const light = parseColour(value)!
    return { light: cssColour(light), dark: cssColour(darkShade(light)) }
  }
  return { light: cssColour(parseColour(value.light)!), dark: cssColour(parseColour(value.dark)!) }
}

/** Content paths of the font files the theme names. */
export function themeFontFiles(theme: ThemeConfig | undefined): string[] {
  const fonts = Object.values(theme?.fonts ?? {}).filter((value): value is string => value !== undefined && !isFontStack(value))
  return [...new Set(fonts.map(contentPath))]
}

/** The stylesheet, or undefined when the theme changes nothing. */
export function themeStylesheet(theme: ThemeConfig | undefined): string | undefined {
  if (theme === undefined) return undefined
  const faces: string[] = []
  const light: string[] = []
  const dark: string[] = []
  const print: string[] = []
  for (const key of ['accent', 'link'] as const) {
    const value = theme[key]
    if (value === undefined) continue
    const colours = schemeColours(value)
    light.push(`--${key}: ${colours.light};`)
    dark.push(`--${key}: ${colours.dark};`)
    print.push(`--${key}: #000;`)
  }
  for (const role of ['body', 'headings', 'code'] as const) {
    const value = theme.fonts?.[role]
    if (value === undefined) continue
    if (isFontStack(value)) {
      light.push(`--font-${role}: ${fontStacks[value]};`)
      continue
    }
    const family = `Report ${role}`
    faces.push(`@font-face { font-family: "${family}"; src: url("${fontUrl(value)}") format("${fontFormat(value)}"); font-display: swap; }`)
    light.push(`--font-${role}: "${family}", ${fontStacks[defaultFonts[role]]};`)
  }
  if (theme.width !== undefined) light.push(`--measure: ${theme.width};`)
  const placement = theme.logo_placement === undefined ? [] : logoRules[theme.logo_placement]
  if (light.length === 0 && faces.length === 0 && placement.length === 0) return undefined

  const lines = ['/* The theme of report.yml (docs/theming.md), written by fieldnotes. */', ...faces]
  if (light.length > 0) lines.push(`:root { ${light.join(' ')} }`)
  if (dark.length > 0) {
    // The same two selectors as style.css's dark scheme: the reader's setting, or the page's toggle.
    lines.push(`@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { ${dark.join(' ')} } }`)
    lines.push(`:root[data-theme="dark"] { ${dark.join(' ')} }`)
    // Printed pages are black on white whatever the screen shows.
    lines.push(`@media print { :root:is(:root, [data-theme]) { ${print.join(' ')} } }`)
  }
  lines.push(...placement)
  return lines.join('\n') + '\n'
}

const logoRules: Record<NonNullable<ThemeConfig['logo_placement']>, string[]> = {
  'beside-title': [],
  'above-title': [
    '.site-title:has(.site-logo) { display: inline-flex; flex-direction: column; align-items: flex-start; gap: .3rem; }',
    '.site-title .site-logo img { height: 3rem; margin: 0; }',
  ],
  // The title stays in the link for screen readers and search engines; the logo's image has empty alt text.
  'replaces-title': [
    '.site-title:has(.site-logo) .site-title-text { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }',
    '.site-title .site-logo img { height: 2.4rem; margin: 0; }',
  ],
}

function contentPath(value: string): string {
  return value.replace(/^\.?\//, '')
}

/** The font file's address from assets/theme.css: content files are published where they sit. */
function fontUrl(value: string): string {
  return '../' + contentPath(value).split('/').map(encodeURIComponent).join('/')
}

function fontFormat(value: string): string {
  const extension = value.slice(value.lastIndexOf('.') + 1).toLowerCase()
  return ({ woff2: 'woff2', woff: 'woff', ttf: 'truetype', otf: 'opentype' } as Record<string, string>)[extension] ?? extension
}
