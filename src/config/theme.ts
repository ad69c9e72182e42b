// The `theme:` block of report.yml: colours, fonts, width and where the logo
// goes. Each value maps onto a CSS custom property (theme/stylesheet.ts); the
// block is checked here for form, and colours for contrast in theme/check.ts.

import { z } from 'zod'
import { parseColour } from '../theme/colour.js'

/** Font stacks made of fonts already on readers' machines, by the name report.yml uses. Nothing is loaded from the network. */
export const fontStacks = {
  serif: 'Charter, "Sitka Text", Cambria, Georgia, "DejaVu Serif", serif',
  sans: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
  mono: 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace',
  humanist: 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", sans-serif',
  'old-style': '"Iowan Old Style", "Palatino Linotype", "URW Palladio L", P052, Georgia, serif',
  rounded: 'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, "Arial Rounded MT", Calibri, sans-serif',
} as const

export type FontStack = keyof typeof fontStacks

/** Font files a theme may name: the formats every current browser reads. */
export const fontFileExtensions = ['woff2', 'woff', 'ttf', 'otf'] as const

export const logoPlacements = ['beside-title', 'above-title', 'replaces-title'] as const

const colour = z
  .string()
  .trim()
  .refine((value) => parseColour(value) !== undefined, {
    error: 'is not a colour fieldnotes can read; write it as #1a4d8c, rgb(26 77 140), hsl(213 69% 33%) or a CSS colour name such as teal',
  })

/** One colour (the light scheme's; the dark one is derived), or one for each scheme. */
const themeColour = z.union([colour, z.object({ light: colour, dark: colour }).strict()], {
  error: 'must be one colour, or a `light:` and a `dark:` colour',
})

const isFontFile = (value: string) => new RegExp(`\\.(${fontFileExtensions.join('|')})$`, 'i').test(value)
const font = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((value) => value in fontStacks || isFontFile(value), {
    error: `must be one of the font stacks ${Object.keys(fontStacks).join(', ')}, or a font file in the content folder (.${fontFileExtensions.join(', .')})`,
  })

export const themeSchema = z
  .object({
    /** The report's own colour: site title, the bar above the header, the current page in the navigation. Default: the link colour. */
    accent: themeColour.optional(),
    /** Links. Default: #1a4d8c, and #8fb8f0 in the dark scheme. */
    link: themeColour.optional(),
    fonts: z
      .object({
        /** Running text. Default: serif. */
        body: font.optional(),
        /** Headings. Default: sans. */
        headings: font.optional(),
        /** Code. Default: mono. */
        code: font.optional(),
      })
      .strict()
      .optional(),
    /** Widest a line of text grows, as a CSS length (70ch, 42rem, 720px). Default: 70ch. */
    width: z
      .string()
      .trim()
      .regex(/^\d{1,4}(\.\d{1,3})?(ch|rem|em|px)$/, 'must be a length such as 70ch, 42rem or 720px')
      .optional(),
    /** Where the logo goes: beside the title, above it, or in its place (the title is still read out by screen readers). Default: beside-title. */
    logo_placement: z.enum(logoPlacements).optional(),
  })
  .strict()

export type ThemeConfig = z.output<typeof themeSchema>
export type ThemeColour = NonNullable<ThemeConfig['accent']>
export type FontRole = keyof NonNullable<ThemeConfig['fonts']>

export function isFontStack(value: string): value is FontStack {
  return value in fontStacks
}
