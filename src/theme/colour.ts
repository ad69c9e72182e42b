// Colours as a report's authors write them (hex, rgb(), hsl(), a CSS colour
// name), read with colord, and the WCAG contrast between a colour and the
// backgrounds text sits on. Pure.

import { colord, extend, type Colord } from 'colord'
import names from 'colord/plugins/names'

extend([names])

export interface Rgb {
  r: number
  g: number
  b: number
  /** Opacity, 0 to 1. */
  a: number
}

/** The backgrounds text sits on in each scheme: the page, and the two shades of panel (findings, related lists). They are style.css's `--bg`, `--surface` and `--surface-2`. */
export const backgrounds = {
  light: { bg: '#fcfbf8', surface: '#f4f1ea', 'surface-2': '#ebe6db' },
  dark: { bg: '#16181b', surface: '#1f2226', 'surface-2': '#292d32' },
} as const

export type Scheme = keyof typeof backgrounds

/** WCAG AA for text of body size. */
export const minimumContrast = 4.5

/** The colour a CSS colour value names, or undefined when it is not one we read. `currentColor` and the like are not colours of their own. */
export function parseColour(value: string): Rgb | undefined {
  const parsed = colord(value.trim())
  return parsed.isValid() ? parsed.toRgb() : undefined
}

/** The colour written back as CSS: hex, with its opacity when it has one. Nothing of what the author wrote reaches the stylesheet but this. */
export function cssColour(colour: Rgb): string {
  return colord(colour).toHex()
}

/** Contrast ratio (1 to 21) of a colour over a background; a see-through colour is first laid over the background. */
export function contrast(colour: Rgb, background: Rgb): number {
  const over = blend(colour, background)
  const [lighter, darker] = [luminance(over), luminance(background)].sort((x, y) => y - x) as [number, number]
  return (lighter + 0.05) / (darker + 0.05)
}

/** The background of `scheme` a colour contrasts least with, and that contrast. */
export function weakestContrast(colour: Rgb, scheme: Scheme): { background: string; name: string; ratio: number } {
  let weakest = { background: '', name: '', ratio: Infinity }
  for (const [name, background] of Object.entries(backgrounds[scheme])) {
    const ratio = contrast(colour, parseColour(background)!)
    if (ratio < weakest.ratio) weakest = { background, name, ratio }
  }
  return weakest
}

/**
 * A shade of the same hue readable on the dark backgrounds: for a colour given
 * once, which is meant for the light scheme. Lightness is raised until the
 * contrast holds, or as far as it goes.
 */
export function darkShade(colour: Rgb): Rgb {
  let shade: Colord = colord({ ...colour, a: 1 })
  const readable = (c: Colord) => weakestContrast(c.toRgb(), 'dark').ratio >= minimumContrast
  if (readable(shade)) return shade.toRgb()
  const { h, s } = shade.toHsl()
  for (let l = shade.toHsl().l; l <= 100; l += 2) {
    shade = colord({ h, s, l })
    if (readable(shade)) break
  }
  return shade.toRgb()
}

function blend(colour: Rgb, background: Rgb): Rgb {
  const mix = (front: number, back: number) => front * colour.a + back * (1 - colour.a)
  return { r: mix(colour.r, background.r), g: mix(colour.g, background.g), b: mix(colour.b, background.b), a: 1 }
}

/** Relative luminance, as WCAG 2 defines it. */
function luminance({ r, g, b }: Rgb): number {
  const channel = (value: number) => {
    const c = value / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}
